package dev.gearfarm.images.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real images {@code scripts/fetch-test-images} downloads (TwelveMonkeys test jar, gdk-pixbuf-tests,
 * Debian wallpapers). Found under the system property {@code test.images} (Maven sets
 * {@code target/test-images}); when they are missing a test skips, or fails with
 * {@code -Dgearman.peers.required=true} (CI).
 */
public final class TestImages {
    private TestImages() {}

    /** The images folder, or skip/fail telling how to fetch it. */
    public static Path root() {
        Path root = Path.of(System.getProperty("test.images", "target/test-images")).toAbsolutePath();
        Tools.requireThat(Files.isRegularFile(root.resolve("exif/Landscape_1.jpg")),
                "test images are missing in " + root + "; run scripts/fetch-test-images " + root);
        return root;
    }

    /** One image by its path under the root. */
    public static Path get(String relative) {
        Path path = root().resolve(relative);
        if (!Files.isRegularFile(path)) {
            fail(path + " is missing; rerun scripts/fetch-test-images");
        }
        return path;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(get(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The regular files of a folder under the root, sorted. */
    public static List<Path> files(String folder) {
        try (Stream<Path> files = Files.list(root().resolve(folder))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
