package dev.gearfarm.images.source;

import static dev.gearfarm.images.source.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.ImageJobException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {
    @TempDir
    Path root;

    @Test
    void routesToTheSourceThatHandlesTheForm() throws Exception {
        Files.write(root.resolve("a.jpg"), new byte[] {1, 2});
        try (HttpSource http = new HttpSource(HttpSourceOptions.defaults())) {
            Sources sources = new Sources(List.of(http, new FileSource(List.of(root), 100)));

            assertThat(sources.fetch(root.resolve("a.jpg").toString())).containsExactly(1, 2);
            assertThat(sources.handles("https://example.com/a.jpg")).isTrue();
            assertThat(sources.handles("s3://bucket/a.jpg")).isFalse();
        }
    }

    @Test
    void s3WithoutAnS3SourceNamesTheFlags() {
        Sources sources = new Sources(List.of(new FileSource(List.of(root), 100)));

        assertRefused(() -> sources.fetch("s3://bucket/a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("no source can read \"s3://bucket/a.jpg\"")
                .hasMessageContaining("s3:// sources need --s3-endpoint or AWS credentials")
                .hasMessageContaining("http(s)://host/path, s3://bucket/key");
    }

    @Test
    void httpWithoutAnHttpSourceSaysItIsOff() {
        Sources sources = new Sources(List.of());

        assertRefused(() -> sources.fetch("http://example.com/a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("http(s) sources are not enabled");
    }

    @Test
    void relativePathIsExplained() {
        Sources sources = new Sources(List.of(new FileSource(List.of(root), 100)));

        assertRefused(() -> sources.fetch("photos/a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("a relative path is not accepted");
        assertRefused(() -> sources.fetch("ftp://example.com/a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("its form is not one this worker reads");
    }
}
