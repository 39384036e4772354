package dev.gearfarm.images.source;

import static dev.gearfarm.images.source.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    private static final byte[] IMAGE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3};

    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private FileSource source;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.write(Files.createDirectories(root.resolve("a")).resolve("photo.jpg"), IMAGE);
        Files.write(outside.resolve("secret.jpg"), new byte[] {9, 9, 9});
        source = new FileSource(List.of(root), 1024);
    }

    @Test
    void readsAnAbsolutePathUnderARoot() {
        assertThat(source.fetch(root.resolve("a/photo.jpg").toString())).isEqualTo(IMAGE);
    }

    @Test
    void readsAFileUri() {
        assertThat(source.fetch(root.resolve("a/photo.jpg").toUri().toString())).isEqualTo(IMAGE);
    }

    @Test
    void dotDotEscapeIsRefusedBeforeTheDiskIsTouched() {
        String escape = root + "/a/../../outside/secret.jpg";
        assertRefused(() -> source.fetch(escape), Reason.FORBIDDEN)
                .hasMessageContaining(escape)
                .hasMessageContaining("outside the allowed folders")
                .hasMessageContaining("--allow-root");
        // A missing file outside the roots is refused the same way, so existence cannot be probed.
        assertRefused(() -> source.fetch(outside.resolve("none.jpg").toString()), Reason.FORBIDDEN);
    }

    @Test
    void symlinkToAFileOutsideTheRootIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("link.jpg"), outside.resolve("secret.jpg"));

        assertRefused(() -> source.fetch(link.toString()), Reason.FORBIDDEN)
                .hasMessageContaining(outside.toRealPath().resolve("secret.jpg").toString());
    }

    @Test
    void symlinkedFolderLeadingOutIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("out"), outside);

        assertRefused(() -> source.fetch(root.resolve("out/secret.jpg").toString()), Reason.FORBIDDEN);
    }

    @Test
    void symlinkStayingInsideTheRootIsFollowed() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("alias.jpg"), root.resolve("a/photo.jpg"));

        assertThat(source.fetch(link.toString())).isEqualTo(IMAGE);
    }

    @Test
    void rootThatIsItselfASymlinkWorks() throws Exception {
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-root"), root);
        FileSource viaLink = new FileSource(List.of(linkedRoot), 1024);

        assertThat(viaLink.fetch(linkedRoot.resolve("a/photo.jpg").toString())).isEqualTo(IMAGE);
        assertThat(viaLink.fetch(root.resolve("a/photo.jpg").toString())).isEqualTo(IMAGE);
    }

    @Test
    void missingFileIsNotFound() {
        String missing = root.resolve("a/none.jpg").toString();
        assertRefused(() -> source.fetch(missing), Reason.NOT_FOUND)
                .hasMessage("file " + missing + " does not exist");
    }

    @Test
    void folderIsRefusedWithAHint() {
        assertRefused(() -> source.fetch(root.resolve("a").toString()), Reason.BAD_SPEC)
                .hasMessageContaining("is a folder");
    }

    @Test
    void fileOverTheCapIsTooLarge() throws Exception {
        Files.write(root.resolve("big.jpg"), new byte[1025]);

        assertRefused(() -> source.fetch(root.resolve("big.jpg").toString()), Reason.TOO_LARGE)
                .hasMessageContaining("1025 bytes, over the 1024-byte limit")
                .hasMessageContaining("--max-download-bytes");
    }

    @Test
    void noRootsMeansFileSourcesAreOffWithTheFlagToSet() {
        FileSource none = new FileSource(List.of(), 1024);

        assertRefused(() -> none.fetch(root.resolve("a/photo.jpg").toString()), Reason.FORBIDDEN)
                .hasMessageContaining("start the worker with --allow-root DIR");
    }

    @Test
    void relativeAndMalformedPathsAreBadSpec() {
        assertRefused(() -> source.fetch("file:photo.jpg"), Reason.BAD_SPEC);
        assertRefused(() -> source.fetch("file://host/share/photo.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("file:///absolute/path");
    }

    @Test
    void missingRootFailsAtStartNamingIt() {
        Path nowhere = dir.resolve("nowhere");
        assertThatThrownBy(() -> new FileSource(List.of(nowhere), 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--allow-root " + nowhere);
    }

    @Test
    void handlesAbsolutePathsAndFileUrisOnly() {
        assertThat(source.handles("/srv/a.jpg")).isTrue();
        assertThat(source.handles("file:///srv/a.jpg")).isTrue();
        assertThat(source.handles("srv/a.jpg")).isFalse();
        assertThat(source.handles("http://x/a.jpg")).isFalse();
    }

}
