package dev.gearfarm.thumbnail.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the end-to-end tests need from outside (built jars, s3proxy, fetched photos, {@code script}): on a
 * laptop a missing one skips the test; with {@code -Dgearman.peers.required=true} (CI) it fails. The same
 * idea as gearmand's it/Peers.
 */
final class Peers {
    private static final boolean REQUIRED = Boolean.getBoolean("gearman.peers.required");

    private Peers() {}

    static void requireThat(boolean condition, String message) {
        if (!condition) {
            if (REQUIRED) {
                fail(message);
            }
            assumeTrue(false, message);
        }
    }

    /** The file a system property names, or skip/fail saying how to get it. */
    static Path file(String property, String how) {
        String value = System.getProperty(property);
        Path path = value == null ? null : Path.of(value);
        requireThat(path != null && Files.isRegularFile(path), property + " (" + value + ") is missing; " + how);
        return path;
    }

    /** A program on the PATH, or skip/fail. */
    static Path program(String name, String why) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        requireThat(false, name + " is not installed; it is needed for " + why + " (see .ci/run)");
        return null;
    }
}
