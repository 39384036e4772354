package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.it.Cmd.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Perl Gearman test suite (Debian source package libgearman-client-perl 2.004.015, 331 tests),
 * starting our server itself for each test through {@code GEARMAND_PATH}, as it starts C gearmand.
 */
class PerlSuiteIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SUITE = ROOT.resolve("target/perl-suite");

    @Test
    void perlGearmanSuitePassesAgainstOurServer() throws Exception {
        String prove = Peers.require("prove", "running the Perl Gearman suite (package perl)");
        Peers.requireThat(perlModulesPresent(), "the Perl suite needs Gearman::Client and its test modules:"
                + " apt-get install libgearman-client-perl libfile-which-perl libtest-tcp-perl libproc-guard-perl"
                + " libtest-exception-perl libtest-timer-perl");
        if (!Files.isDirectory(SUITE.resolve("t"))) {
            Result fetched = Cmd.run(List.of(ROOT.resolve("scripts/fetch-perl-suite").toString(), SUITE.toString()),
                    null, 300);
            Peers.requireThat(fetched.exitCode() == 0, "could not fetch the Perl suite: " + fetched.stderr());
        }
        Path log = Files.createTempFile("perl-suite-gearmand", ".log");
        Path launcher = Files.createTempFile("gearmand-launcher", ".sh");
        // exec, so the suite's SIGTERM reaches the JVM and no shell holds prove's output open.
        Files.writeString(launcher, "#!/bin/sh\nexec " + ServerProcess.javaBinary() + " -cp "
                + Path.of("target", "gearmand.jar").toAbsolutePath() + " dev.gearfarm.gearmand.Gearmand --log-file "
                + log + " --verbose INFO \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));

        ProcessBuilder builder = new ProcessBuilder(prove, "-Ilib", "t/")
                .directory(SUITE.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("GEARMAND_PATH", launcher.toString());
        env.remove("GEARMAND_ADDR");
        env.remove("AUTHOR_TESTING");
        Path output = Files.createTempFile("perl-suite", ".txt");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        boolean finished = process.waitFor(600, java.util.concurrent.TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = Files.readString(output);
        assertThat(finished).as("prove finished within 600 s:%n%s", text).isTrue();
        assertThat(text).as("prove output:%n%s%nserver log:%n%s", text, tail(log)).contains("Result: PASS");
        Matcher tests = Pattern.compile("Files=(\\d+), Tests=(\\d+)").matcher(text);
        assertThat(tests.find()).as(text).isTrue();
        assertThat(Integer.parseInt(tests.group(2))).as("tests run").isGreaterThanOrEqualTo(331);
        assertThat(process.exitValue()).isZero();
    }

    private static boolean perlModulesPresent() {
        try {
            return Cmd.run(List.of("perl", "-MGearman::Client", "-MGearman::Worker", "-MFile::Which", "-MTest::TCP",
                    "-MProc::Guard", "-MTest::Exception", "-MTest::Timer", "-e", "1"), null, 30).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
