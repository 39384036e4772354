package dev.gearfarm.images.sink;

import static dev.gearfarm.images.source.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.ImageJobException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private FileSink sink;

    @BeforeEach
    void folders() throws Exception {
        root = Files.createDirectories(dir.resolve("out"));
        outside = Files.createDirectories(dir.resolve("elsewhere"));
        sink = new FileSink(List.of(root));
    }

    @Test
    void writesTheFileCreatingParentFoldersAndReturnsItsPath() throws Exception {
        Path target = root.resolve("2026/12/thumb.jpg");

        String where = sink.store(target.toString(), new byte[] {1, 2, 3}, "image/jpeg");

        assertThat(where).isEqualTo(target.toRealPath().toString());
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        assertThat(leftovers(root)).isEmpty();
    }

    @Test
    void acceptsFileUrisAndReplacesAnExistingFile() throws Exception {
        Path target = root.resolve("t.png");
        Files.write(target, new byte[] {9});

        sink.store(target.toUri().toString(), new byte[] {4, 5}, "image/png");

        assertThat(Files.readAllBytes(target)).containsExactly(4, 5);
    }

    @Test
    void readersNeverSeeAPartialFile() throws Exception {
        Path target = root.resolve("busy.jpg");
        byte[] a = new byte[2_000_000];
        byte[] b = new byte[2_000_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        sink.store(target.toString(), a, "image/jpeg");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> torn = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (writing.get()) {
                try {
                    byte[] seen = Files.readAllBytes(target);
                    if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                        torn.add(seen.length + " bytes");
                    }
                } catch (Exception e) {
                    torn.add(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 20; i++) {
            sink.store(target.toString(), i % 2 == 0 ? b : a, "image/jpeg");
        }
        writing.set(false);
        reader.join();

        assertThat(torn).as("reads that saw a missing or partial file").isEmpty();
        assertThat(Files.readAllBytes(target)).isEqualTo(a);
        assertThat(leftovers(root)).isEmpty();
    }

    @Test
    void dotDotEscapeIsRefusedAndNothingIsWritten() throws Exception {
        String escape = root + "/../elsewhere/x.jpg";

        assertRefused(() -> sink.store(escape, new byte[] {1}, "image/jpeg"), Reason.FORBIDDEN)
                .hasMessageContaining(escape)
                .hasMessageContaining("--output-root");
        assertThat(outside.resolve("x.jpg")).doesNotExist();
    }

    @Test
    void symlinkedFolderLeadingOutIsRefusedAndNothingIsWritten() throws Exception {
        Files.createSymbolicLink(root.resolve("link"), outside);

        assertRefused(() -> sink.store(root.resolve("link/x.jpg").toString(), new byte[] {1}, "image/jpeg"),
                Reason.FORBIDDEN).hasMessageContaining("outside the allowed folders");
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void parentThatIsAFileIsStoreFailedNamingThePath() throws Exception {
        Files.write(root.resolve("file"), new byte[] {1});
        String destination = root.resolve("file/x.jpg").toString();

        assertRefused(() -> sink.store(destination, new byte[] {1}, "image/jpeg"), Reason.STORE_FAILED)
                .hasMessageContaining("cannot store " + destination);
    }

    @Test
    void folderInTheWayIsStoreFailedAndTheTempFileIsRemoved() throws Exception {
        Files.createDirectories(root.resolve("taken.jpg/inner"));

        assertRefused(() -> sink.store(root.resolve("taken.jpg").toString(), new byte[] {1}, "image/jpeg"),
                Reason.STORE_FAILED).hasMessageContaining("a folder of that name exists");
        assertThat(leftovers(root)).isEmpty();
    }

    @Test
    void destinationThatIsTheRootItselfIsBadSpec() {
        assertRefused(() -> sink.store(root.toString(), new byte[] {1}, "image/jpeg"), Reason.BAD_SPEC)
                .hasMessageContaining("is a folder");
    }

    @Test
    void noRootsMeansFileDestinationsAreOffWithTheFlagToSet() {
        FileSink none = new FileSink(List.of());

        assertRefused(() -> none.store(root.resolve("x.jpg").toString(), new byte[] {1}, "image/jpeg"),
                Reason.FORBIDDEN).hasMessageContaining("--output-root DIR");
    }

    @Test
    void sinksRouterExplainsUnknownDestinations() {
        Sinks sinks = new Sinks(List.of(sink));

        assertRefused(() -> sinks.store("s3://b/k.jpg", new byte[] {1}, "image/jpeg"), Reason.BAD_SPEC)
                .hasMessageContaining("s3:// destinations need --s3-endpoint or AWS credentials");
        assertRefused(() -> sinks.store("out/k.jpg", new byte[] {1}, "image/jpeg"), Reason.BAD_SPEC)
                .hasMessageContaining("a relative path is not accepted");
        assertThat(sinks.store(root.resolve("ok.jpg").toString(), new byte[] {7}, "image/jpeg"))
                .endsWith("ok.jpg");
    }

    private static List<Path> leftovers(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

}
