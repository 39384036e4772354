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
                "--verbose", "--version", "--help", "--queue-type", "--queue-dir", "--libpq-conninfo", "--libpq-table",
                "--mysql-host", "--mysql-port", "--mysql-user", "--mysql-password", "--mysql-db", "--mysql-table",
                "--jdbc-url")) {
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

    @Test
    void unknownQueueTypeOrJournalWithoutDirectoryIsAUsageError() throws Exception {
        Result unknown = gearmand("-q", "libsqlite3");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown queue type 'libsqlite3'").hasLineCount(1);

        Result noDir = gearmand("-q", "journal");
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.stderr()).contains("--queue-dir").hasLineCount(1);
    }

    @Test
    void unreachableDatabaseAtStartUpIsReportedWithExitCode1() throws Exception {
        int closedPort = ServerProcess.freePort();
        Result result = gearmand("-p", "0", "-q", "Postgres", "--libpq-conninfo",
                "host=127.0.0.1 port=" + closedPort + " dbname=test user=postgres");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("cannot start with the persistent queue")
                .contains("postgres jdbc:postgresql://127.0.0.1:" + closedPort + "/test table queue")
                .contains("refused");
    }

    @Test
    void journalDirectoryHoldingAForeignFileIsReportedWithExitCode1() throws Exception {
        Path dir = Files.createTempDirectory("queue");
        Files.writeString(dir.resolve("journal-000000000001.log"), "not a journal");
        Result result = gearmand("-p", "0", "-q", "journal", "--queue-dir", dir.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("journal-000000000001.log is not a gearmand journal segment");
    }
}
