package dev.gearfarm.images.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.OutputSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPlannerTest {
    @TempDir
    Path dir;

    private final LocalStore store = new LocalStore();

    private void touch(String... names) throws IOException {
        for (String name : names) {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {1});
        }
    }

    private BatchManifest manifest(boolean recursive, String include, String out, OutputSpec... outputs) {
        List<OutputSpec> list = outputs.length > 0 ? List.of(outputs)
                : List.of(OutputSpec.builder().size(256).destination(out).build());
        return new BatchManifest(dir.toString(), null, recursive, include, list, null, null);
    }

    @Test
    void splitsAFolderIntoOneLeafPerImageInSortedOrderWithAbsoluteSources() throws IOException {
        touch("b.jpg", "a.png", "notes.txt", "sub/c.jpg");
        List<BatchItem> items = BatchPlanner.plan(manifest(false, null, "/out"), store, 100);
        assertThat(items).extracting(BatchItem::input).containsExactly("a.png", "b.jpg");
        assertThat(items.get(0).spec().source()).isEqualTo(dir.resolve("a.png").toAbsolutePath().toString());
        assertThat(items.get(0).destinations()).containsExactly("/out/a.256.jpg");
    }

    @Test
    void recursiveDescendsAndEveryOutputTemplateGivesOneOutput() throws IOException {
        touch("a.jpg", "sub/deeper/c.jpg");
        List<BatchItem> items = BatchPlanner.plan(manifest(true, null, null,
                OutputSpec.builder().size(256).destination("s3://t/p").build(),
                OutputSpec.builder().size(64).fit(Fit.FILL).destination("s3://t/p").build()), store, 100);
        assertThat(items).extracting(BatchItem::input).containsExactly("a.jpg", "sub/deeper/c.jpg");
        assertThat(items.get(1).destinations())
                .containsExactly("s3://t/p/sub/deeper/c.256.jpg", "s3://t/p/sub/deeper/c.64.fill.jpg");
    }

    @Test
    void anOutputFolderInsideTheSourceIsNotInput() throws IOException {
        touch("a.jpg", "thumbs/a.256.jpg");
        List<BatchItem> items = BatchPlanner.plan(manifest(true, null, dir.resolve("thumbs").toString()), store, 100);
        assertThat(items).extracting(BatchItem::input).containsExactly("a.jpg");
    }

    @Test
    void inputsWhoseOutputNamesCollideAreFlaggedNotOverwritten() throws IOException {
        touch("cat.jpg", "cat.png");
        List<BatchItem> items = BatchPlanner.plan(manifest(false, null, "/out"), store, 100);
        assertThat(items.get(0).problem()).isNull();
        assertThat(items.get(1).problem()).contains("/out/cat.256.jpg").contains("cat.jpg").contains("rename");
    }

    @Test
    void urlsBecomeInputsNamedByHostAndPath() {
        BatchManifest manifest = new BatchManifest(null, List.of("https://img.example.com/a/cat.jpg?x=1",
                "https://evil.example/../../etc/x.png"), null, null,
                List.of(OutputSpec.builder().size(100).destination("/out").build()), null, null);
        List<BatchItem> items = BatchPlanner.plan(manifest, store, 100);
        assertThat(items.get(0).spec().source()).isEqualTo("https://img.example.com/a/cat.jpg?x=1");
        assertThat(items.get(0).destinations()).containsExactly("/out/img.example.com/a/cat.100.jpg");
        assertThat(items.get(1).destinations().get(0)).doesNotContain("..");
    }

    @Test
    void tooManyInputsIsRefusedWithTheFix() throws IOException {
        touch("a.jpg", "b.jpg", "c.jpg");
        assertThatThrownBy(() -> BatchPlanner.plan(manifest(false, null, "/out"), store, 2))
                .isInstanceOf(ImageJobException.class)
                .hasMessageContaining("3 inputs, over the limit of 2");
    }

    @Test
    void aMissingSourceIsNotFoundAndNamed() {
        BatchManifest manifest = new BatchManifest(dir.resolve("nope").toString(), null, null, null,
                List.of(OutputSpec.builder().size(100).destination("/out").build()), null, null);
        assertThatThrownBy(() -> BatchPlanner.plan(manifest, store, 10))
                .isInstanceOf(ImageJobException.class)
                .hasMessageContaining("nope is not a folder (it does not exist)")
                .extracting(e -> ((ImageJobException) e).reason()).isEqualTo(ImageJobException.Reason.NOT_FOUND);
    }

    @Test
    void resumeCountsAnItemDoneOnlyWhenEveryOutputExists() throws IOException {
        touch("a.jpg");
        Path out = dir.resolve("out");
        BatchItem item = BatchPlanner.plan(manifest(false, null, null,
                OutputSpec.builder().size(256).destination(out.toString()).build(),
                OutputSpec.builder().size(64).destination(out.toString()).build()), store, 10).get(0);
        assertThat(BatchPlanner.done(item, store)).isFalse();
        Files.createDirectories(out);
        Files.write(out.resolve("a.256.jpg"), new byte[] {1});
        assertThat(BatchPlanner.done(item, store)).isFalse();
        Files.write(out.resolve("a.64.jpg"), new byte[] {1});
        assertThat(BatchPlanner.done(item, store)).isTrue();
    }
}
