package dev.gearfarm.deploy;

import java.nio.file.Path;

/** Where the repository and its deploy files are, as the build passes them ({@code gearfarm.root}). */
final class Repo {
    /** The repository root. */
    static final Path ROOT = Path.of(System.getProperty("gearfarm.root", "..")).toAbsolutePath().normalize();
    /** The deploy files. */
    static final Path DEPLOY = ROOT.resolve("deploy");

    private Repo() {
    }

    /** A path relative to the root, for messages. */
    static String relative(Path path) {
        return ROOT.relativize(path.toAbsolutePath().normalize()).toString();
    }

    /** The JVM running the tests, used to run the programs too. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
