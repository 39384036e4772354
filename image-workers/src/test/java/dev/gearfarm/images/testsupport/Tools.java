package dev.gearfarm.images.testsupport;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * External programs some tests compare with or drive (ImageMagick, the C gearman tool). Missing ones
 * skip the test, except with {@code -Dgearman.peers.required=true} (set by .ci/run), where they fail:
 * the same rule as gearmand's it.Peers, copied rather than shared across modules.
 */
public final class Tools {
    private static final boolean REQUIRED = Boolean.getBoolean("gearman.peers.required");

    private Tools() {}

    /** The absolute path of {@code program} (on the PATH, or a path), or skip/fail naming the package. */
    public static String require(String program, String debianPackage, String why) {
        Path found = find(program);
        requireThat(found != null, program + " is not installed; it is needed for " + why
                + " (apt-get install " + debianPackage + ")");
        return found.toString();
    }

    /** Skips, or fails in CI, when a condition for the test does not hold. */
    public static void requireThat(boolean condition, String message) {
        if (!condition) {
            if (REQUIRED) {
                fail(message);
            }
            assumeTrue(false, message);
        }
    }

    private static Path find(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? path : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
