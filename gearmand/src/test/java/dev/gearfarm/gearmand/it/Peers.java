package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the external programs the interoperability tests run. On a laptop that lacks one the test is
 * skipped; with {@code -Dgearman.peers.required=true} (set by {@code .ci/run}) it fails instead.
 */
final class Peers {
    private static final boolean REQUIRED = Boolean.getBoolean("gearman.peers.required");

    private Peers() {
    }

    /** The absolute path of {@code program} on the PATH or at that path, or skip/fail. */
    static String require(String program, String why) {
        Path found = find(program);
        if (found == null) {
            String message = program + " is not installed; it is needed for " + why
                    + " (apt-get install the peers listed in .ci/run)";
            if (REQUIRED) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return found.toString();
    }

    /** Skips or fails (in CI) when a condition for a peer test does not hold. */
    static void requireThat(boolean condition, String message) {
        if (!condition) {
            if (REQUIRED) {
                fail(message);
            }
            assumeTrue(false, message);
        }
    }

    static Path find(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? path : null;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : pathVariable.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
