package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.it.Cmd.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gearmand and gearadmin command lines, run as a user runs them. */
class CommandLineIT {
    private static final String JAR = Path.of("target", "gearmand.jar").toAbsolutePath().toString();

    private static Result gearmand(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ServerProcess.javaBinary(), "-cp", JAR,
                "dev.gearfarm.gearmand.Gearmand"));
        command.addAll(List.of(args));
        return Cmd.run(command, null, 30);
    }

    @Test
    void unknownFlagGetsOneLineAndExitCode2() throws Exception {
        Result result = gearmand("--no-such-flag");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines()).hasSize(1);
        assertThat(result.stderr()).contains("--no-such-flag").contains("--help");
    }

    @Test
    void badValueGetsOneLineAndExitCode2() throws Exception {
        Result result = gearmand("--verbose", "LOUD");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines()).hasSize(1);
        assertThat(result.stderr()).contains("LOUD");
    }

    @Test
    void helpExplainsEveryCompatibleFlag() throws Exception {
        Result result = gearmand("--help");
        assertThat(result.exitCode()).isZero();
        for (String flag : List.of("--port", "--listen", "--threads", "--job-retries", "--round-robin",
                "--worker-wakeup", "--exceptions", "--job-handle-prefix", "--keepalive", "--log-file", "--pid-file",
                "--verbose", "--version", "--help")) {
            assertThat(result.stdout()).contains(flag);
        }
    }

    @Test
    void versionPrintsOneLine() throws Exception {
        Result result = gearmand("-V");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("gearmand ").hasLineCount(1);
    }

    @Test
    void sigtermStopsTheServerAndRemovesItsPidFile() throws Exception {
        Path pidFile = Files.createTempDirectory("gearmand-pid").resolve("gearmand.pid");
        Path log = Files.createTempFile("gearmand-sigterm", ".log");
        try (ServerProcess server = ServerProcess.ours("-P", pidFile.toString(), "-l", log.toString())) {
            assertThat(Files.readString(pidFile).trim()).isEqualTo(String.valueOf(server.process.pid()));
            server.process.destroy();
            assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pidFile).doesNotExist();
            assertThat(Files.readString(log)).contains("stopped");
        }
    }

    @Test
    void adminShutdownStopsTheServerWithExitCode0() throws Exception {
        try (ServerProcess server = ServerProcess.ours()) {
            assertThat(server.admin("shutdown")).isEqualTo("OK\n");
            assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.process.exitValue()).isZero();
        }
    }

    @Test
    void busyPortIsReportedInOneLineWithExitCode1() throws Exception {
        try (ServerProcess server = ServerProcess.ours()) {
            Result result = gearmand("-p", String.valueOf(server.port), "-L", "127.0.0.1");
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("cannot listen on port " + server.port);
        }
    }
}
