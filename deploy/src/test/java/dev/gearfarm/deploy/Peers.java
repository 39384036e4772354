package dev.gearfarm.deploy;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Skips a test whose external part (a fat jar, root, iproute2, a tool) is missing; with
 * {@code -Dgearman.peers.required=true}, as {@code .ci/run} sets it, fails instead. The same idea as
 * gearmand's {@code it/Peers}, kept in this module's tests so the modules stay independent.
 */
final class Peers {
    static final boolean REQUIRED = Boolean.getBoolean("gearman.peers.required");

    private Peers() {
    }

    /** Skips or fails (in CI) when a condition for a test does not hold. */
    static void requireThat(boolean condition, String message) {
        if (!condition) {
            if (REQUIRED) {
                fail(message);
            }
            assumeTrue(false, message);
        }
    }

    /** The absolute path of {@code program} on the PATH, or skip/fail. */
    static String require(String program, String why) {
        Path found = find(program);
        requireThat(found != null, program + " is not installed; it is needed for " + why
                + " (apt-get install the packages listed in .ci/run)");
        return found.toString();
    }

    static Path find(String program) {
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
