package dev.gearfarm.images.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.codec.PixelBudget;
import dev.gearfarm.images.source.HttpSource;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import dev.gearfarm.images.spec.Payload;
import dev.gearfarm.images.testsupport.Pixels;
import dev.gearfarm.images.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole jobs through the pipeline, in-process: payload in, result (and files) out. */
class ThumbnailPipelineTest {
    @TempDir
    Path out;

    private final PixelBudget budget = new PixelBudget(200);
    private HttpSource http;
    private ThumbnailPipeline pipeline;

    @BeforeEach
    void start() {
        ImageWorkerOptions options = ImageWorkerOptions.builder().servers("localhost:4730")
                .allowRoots(List.of(TestImages.root())).outputRoots(List.of(out)).build();
        http = new HttpSource(options.http());
        pipeline = ImageWorkerService.pipeline(options, budget, http, null);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private static byte[] inlineJob(String json, byte[] image) {
        return new Payload(json.getBytes(StandardCharsets.UTF_8), image).toBytes();
    }

    private static BufferedImage image(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void inlineSourceToSeveralInlineOutputsFromOneDecode() throws IOException {
        String json = """
                {"id": "job-1", "source": "inline", "outputs": [
                  {"width": 256, "height": 256, "destination": "inline"},
                  {"width": 100, "height": 100, "fit": "fill", "format": "png", "destination": "inline"},
                  {"width": 64, "format": "webp", "quality": 70, "destination": "inline"}]}""";
        List<long[]> progress = new ArrayList<>();
        ThumbnailPipeline.Outcome outcome = pipeline.run(inlineJob(json, TestImages.bytes("exif/Landscape_6.jpg")),
                (done, total) -> progress.add(new long[] {done, total}));

        Payload result = Payload.parse(outcome.bytes());
        JobResult parsed = JobJson.readResult(result.json());
        assertThat(parsed.id()).isEqualTo("job-1");
        assertThat(parsed.source()).isEqualTo(new JobResult.SourceInfo("inline", 1800, 1200, "jpeg", 6,
                TestImages.bytes("exif/Landscape_6.jpg").length));
        assertThat(parsed.outputs()).extracting(JobResult.OutputResult::width, JobResult.OutputResult::height,
                JobResult.OutputResult::format).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(256, 171, "jpeg"),
                        org.assertj.core.groups.Tuple.tuple(100, 100, "png"),
                        org.assertj.core.groups.Tuple.tuple(64, 43, "webp"));
        long offset = 0;
        for (JobResult.OutputResult o : parsed.outputs()) {
            assertThat(o.location()).isEqualTo("inline");
            assertThat(o.offset()).isEqualTo(offset);
            offset += o.bytes();
        }
        assertThat(result.blob().length).isEqualTo((int) offset);
        JobResult.OutputResult jpeg = parsed.outputs().get(0);
        BufferedImage first = image(Arrays.copyOfRange(result.blob(), 0, (int) jpeg.bytes()));
        assertThat(first.getWidth()).isEqualTo(256);
        assertThat(progress).extracting(p -> p[0]).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(progress).extracting(p -> p[1]).containsOnly(5L);
    }

    @Test
    void fileSourceToFileDestinationUpright() throws IOException {
        Path source = TestImages.get("exif/Portrait_8.jpg");
        String json = """
                {"source": "%s", "operations": [{"op": "grayscale"}],
                 "outputs": [{"width": 300, "destination": "%s"}]}""".formatted(source, out.resolve("p8.jpg"));
        JobResult result = pipeline.run(json.getBytes(StandardCharsets.UTF_8), ThumbnailPipeline.Progress.NONE).result();
        Path written = Path.of(result.outputs().get(0).location());
        assertThat(written).exists();
        BufferedImage thumb = image(Files.readAllBytes(written));
        assertThat(thumb.getWidth()).isEqualTo(300);
        assertThat(thumb.getHeight()).isEqualTo(450);
        BufferedImage upright = image(TestImages.bytes("exif/Portrait_1.jpg"));
        assertThat(Pixels.meanDifference(
                dev.gearfarm.images.ops.Filters.grayscale(upright), thumb, 32)).isLessThan(8.0);
    }

    @Test
    void shrinkOnLoadGivesTheSameSizeAndPictureAsAFullDecode() throws IOException {
        Path photo = TestImages.files("photos").get(0);
        byte[] bytes = Files.readAllBytes(photo);
        String shrunk = """
                {"source": "inline", "outputs": [{"width": 256, "height": 256, "destination": "inline"}]}""";
        // A blur among the source operations turns shrink on load off (its sigma counts source pixels).
        String full = """
                {"source": "inline", "operations": [{"op": "blur", "sigma": 0.1}],
                 "outputs": [{"width": 256, "height": 256, "destination": "inline"}]}""";
        Payload a = Payload.parse(pipeline.run(inlineJob(shrunk, bytes), ThumbnailPipeline.Progress.NONE).bytes());
        Payload b = Payload.parse(pipeline.run(inlineJob(full, bytes), ThumbnailPipeline.Progress.NONE).bytes());
        BufferedImage ia = image(a.blob());
        BufferedImage ib = image(b.blob());
        assertThat(ia.getWidth()).isEqualTo(ib.getWidth());
        assertThat(ia.getHeight()).isEqualTo(ib.getHeight());
        assertThat(Pixels.psnr(ia, ib)).isGreaterThan(28);
    }

    @Test
    void errorsNameTheProblemAndTheInput() {
        assertThatThrownBy(() -> pipeline.run("{\"source\": \"inline\", \"outputs\": [{\"width\": 10, \"destination\": \"inline\"}]}"
                .getBytes(StandardCharsets.UTF_8), ThumbnailPipeline.Progress.NONE))
                .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SPEC))
                .hasMessageContaining("no bytes after the JSON");
        assertThatThrownBy(() -> pipeline.run(inlineJob("{\"source\": \"/x.jpg\", \"outputs\": [{\"width\": 10,"
                + " \"destination\": \"inline\"}]}", new byte[] {1}), ThumbnailPipeline.Progress.NONE))
                .isInstanceOf(ImageJobException.class).hasMessageContaining("use \"source\": \"inline\"");
        Path hostile = TestImages.get("gdk-pixbuf/large.png");
        assertThatThrownBy(() -> pipeline.run(("{\"source\": \"" + hostile + "\", \"outputs\": [{\"width\": 10,"
                + " \"destination\": \"inline\"}]}").getBytes(StandardCharsets.UTF_8), ThumbnailPipeline.Progress.NONE))
                .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining(hostile.toString());
        assertThatThrownBy(() -> pipeline.run(inlineJob("{\"source\": \"inline\", \"outputs\": [{\"width\": 10,"
                + " \"destination\": \"inline\"}]}", TestImages.bytes("gdk-pixbuf/premature-end.jpg")),
                ThumbnailPipeline.Progress.NONE))
                .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_IMAGE))
                .hasMessageContaining("source inline");
        assertThat(budget.available()).isEqualTo(200);
    }

    @Test
    void watermarkFromAFileSourceIsDrawnOnEachOutput() throws IOException {
        String mark = TestImages.get("gdk-pixbuf/test-image.png").toString();
        String json = """
                {"source": "inline", "outputs": [{"width": 400, "destination": "inline",
                  "operations": [{"op": "watermark", "source": "%s", "position": "north-west", "opacity": 1.0,
                                  "margin": 0, "scale": 0.25}]}]}""".formatted(mark);
        byte[] photo = TestImages.bytes("exif/Landscape_1.jpg");
        String plain = "{\"source\": \"inline\", \"outputs\": [{\"width\": 400, \"destination\": \"inline\"}]}";
        BufferedImage with = image(Payload.parse(pipeline.run(inlineJob(json, photo), ThumbnailPipeline.Progress.NONE).bytes()).blob());
        BufferedImage without = image(Payload.parse(pipeline.run(inlineJob(plain, photo), ThumbnailPipeline.Progress.NONE).bytes()).blob());
        // The top-left quarter-width corner changed; the bottom-right did not.
        assertThat(Pixels.meanDifference(with.getSubimage(0, 0, 60, 30), without.getSubimage(0, 0, 60, 30))).isGreaterThan(10);
        assertThat(Pixels.meanDifference(with.getSubimage(300, 200, 100, 60), without.getSubimage(300, 200, 100, 60)))
                .isLessThan(2);
    }
}
