package dev.gearfarm.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.codec.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against a real farm in this JVM (our server on a free port, the real image workers and
 * thumbnail_batch), on the committed sample images plus the broken one.
 */
class EmbeddedFarmTest {
    @TempDir
    static Path root;

    static Path input;
    static Path serverOut;
    static EmbeddedFarm farm;

    /** What one command did. */
    record Run(int code, String out, String err) {}

    @BeforeAll
    static void startFarm() throws Exception {
        input = root.resolve("in");
        copyTree(Path.of("..", "samples"), input);
        serverOut = Files.createDirectories(root.resolve("server-out"));
        farm = EmbeddedFarm.start(2, List.of(root), List.of(serverOut), null,
                ImageDecoder.JpegDecoder.AUTO);
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("make-samples")
                    && !f.getFileName().toString().equals("LICENSE")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ThumbnailCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static List<String> reportLines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path report : files.filter(f -> f.getFileName().toString().startsWith(".thumbnail-report-")).sorted().toList()) {
                lines.addAll(Files.readAllLines(report));
            }
        }
        return lines;
    }

    @Test
    void batchMakesDecodableThumbnailsReportsTheBrokenFileAndARerunSkipsWhatIsDone() throws Exception {
        Path out = root.resolve("client-out");
        Run first = run("batch", input.toString(), "--out", out.toString(), "--recursive", "--progress", "none",
                "--server", farm.server(), "--report", out.resolve(".thumbnail-report-1.jsonl").toString());
        assertThat(first.code()).as(first.err()).isEqualTo(ThumbnailCli.EXIT_FAILURES);
        assertThat(first.out()).contains("done: 6 images: 5 made (5 outputs,").contains("0 skipped, 1 failed");
        assertThat(first.err()).contains("1 image failed; see the report " + out.resolve(".thumbnail-report-1.jsonl"));
        for (String name : List.of("landscape-clouds", "portrait-sunset", "panorama-meadow", "logo-alpha", "rings-grey")) {
            BufferedImage thumb = ImageIO.read(out.resolve(name + ".256.jpg").toFile());
            assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).as(name).isEqualTo(256);
        }
        assertThat(reportLines(out)).filteredOn(l -> l.contains("broken/truncated.jpg")).singleElement()
                .satisfies(l -> assertThat(l).contains("\"error\":"));

        Run again = run("batch", input.toString(), "--out", out.toString(), "-r", "--progress", "none",
                "--server", farm.server(), "--report", out.resolve(".thumbnail-report-2.jsonl").toString());
        assertThat(again.out()).contains("0 made (0 outputs, 0 B), 5 skipped, 1 failed");
        assertThat(Files.readAllLines(out.resolve(".thumbnail-report-2.jsonl")))
                .filteredOn(l -> l.contains("\"skipped\":true")).hasSize(5);
    }

    @Test
    void severalSizesAndModesGetTheirDocumentedNames() throws Exception {
        Path out = root.resolve("sizes-out");
        Run run = run("batch", input.toString(), "--out", out.toString(), "--size", "64", "--size", "100x50",
                "--fill", "--format", "png", "--progress", "none", "--server", farm.server());
        assertThat(run.code()).as(run.err()).isZero();
        BufferedImage filled = ImageIO.read(out.resolve("landscape-clouds.100x50.fill.png").toFile());
        assertThat(filled.getWidth()).isEqualTo(100);
        assertThat(filled.getHeight()).isEqualTo(50);
        assertThat(out.resolve("rings-grey.64.fill.png")).exists();
    }

    @Test
    void serverSideBatchReturnsTheSummaryAndTheFailuresGoToTheReport() throws Exception {
        Run run = run("batch", input.toString(), "--out", serverOut.toString(), "-r", "--server-side",
                "--progress", "lines", "--server", farm.server());
        assertThat(run.code()).as(run.err()).isEqualTo(ThumbnailCli.EXIT_FAILURES);
        assertThat(run.out()).contains("done: 6 images: 5 made (5 outputs,").contains("1 failed");
        assertThat(serverOut.resolve("panorama-meadow.256.jpg")).exists();
        assertThat(reportLines(serverOut)).singleElement().satisfies(l -> assertThat(l)
                .contains("\"input\":\"broken/truncated.jpg\"").contains("\"error\":"));
    }

    @Test
    void backgroundServerSideBatchPrintsAHandleThatStatusFollows() throws Exception {
        Path many = root.resolve("many");
        for (int i = 0; i < 12; i++) {
            copyTree(input.resolve("..").resolve("in"), many.resolve("copy" + i));
        }
        Path out = Files.createDirectories(serverOut.resolve("many"));
        Run queued = run("batch", many.toString(), "--out", out.toString(), "--include", "*.jpg", "-r",
                "--server-side", "--background", "--server", farm.server());
        assertThat(queued.code()).as(queued.err()).isZero();
        String handle = queued.out().trim();
        assertThat(handle).startsWith("H:embedded:");
        assertThat(queued.err()).contains("thumbnail status " + handle);

        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            Run status = run("status", handle, "--server", farm.server());
            assertThat(status.code()).isZero();
            seen.add(status.out().trim());
            if (status.out().contains("unknown")) {
                break;
            }
            Thread.sleep(100);
        }
        // 12 copies of 5 JPEGs (the broken one included: it ends in .jpg) = 60 inputs.
        assertThat(seen).anySatisfy(s -> assertThat(s).matches(handle + ": running, \\d+/60 \\(\\d+%\\)"));
        assertThat(seen.get(seen.size() - 1)).isEqualTo(handle + ": unknown (finished, or never existed)");
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(f -> f.toString().endsWith(".256.jpg")).count()).isEqualTo(48);
        }
    }

    @Test
    void submitPrintsOneLinePerOutput() {
        Path out = root.resolve("submit-out");
        Run run = run("submit", input.resolve("portrait-sunset.jpg").toString(), "--size", "64", "--size", "128",
                "--out", out.toString(), "--server", farm.server());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                input.resolve("portrait-sunset.jpg") + " -> " + out.resolve("portrait-sunset.64.jpg").toAbsolutePath()
                        + " 43x64 " + dev.gearfarm.images.batch.Units.bytes(sizeOf(out.resolve("portrait-sunset.64.jpg"))),
                input.resolve("portrait-sunset.jpg") + " -> " + out.resolve("portrait-sunset.128.jpg").toAbsolutePath()
                        + " 85x128 " + dev.gearfarm.images.batch.Units.bytes(sizeOf(out.resolve("portrait-sunset.128.jpg"))));
    }

    @Test
    void submitOfABrokenFileSaysWhyAndExitsOne() {
        Run run = run("submit", input.resolve("broken/truncated.jpg").toString(), "--out", root.resolve("x").toString(),
                "--server", farm.server());
        assertThat(run.code()).isEqualTo(ThumbnailCli.EXIT_FAILURES);
        assertThat(run.out()).startsWith(input.resolve("broken/truncated.jpg") + ": FAILED: ");
    }

    @Test
    void anUnreachableServerExitsThreeWithTheFix() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run("batch", input.toString(), "--out", root.resolve("never").toString(), "--server", "127.0.0.1:" + port);
        assertThat(run.code()).isEqualTo(ThumbnailCli.EXIT_UNREACHABLE);
        assertThat(run.err()).startsWith("thumbnail: cannot reach a job server at 127.0.0.1:" + port)
                .contains("--embedded");
    }

    @Test
    void aServerWithoutImageWorkersIsReportedAtOnceNotAfterTheJobTimeout() throws Exception {
        try (var bare = dev.gearfarm.gearmand.net.GearmanServer.start(dev.gearfarm.gearmand.config.ServerConfig.forTesting(
                new dev.gearfarm.gearmand.engine.EngineConfig("H:bare", -1, 0, false, "test")))) {
            String server = "127.0.0.1:" + bare.port();
            Run batch = run("batch", input.toString(), "--out", root.resolve("none").toString(), "--server", server);
            assertThat(batch.code()).isEqualTo(ThumbnailCli.EXIT_UNREACHABLE);
            assertThat(batch.err().trim()).isEqualTo("thumbnail: no worker serves 'thumbnail' on " + server
                    + "; start bin/image-worker --server HOST:PORT, or run the batch with --embedded");
            Run serverSide = run("batch", input.toString(), "--out", root.resolve("none").toString(), "--server-side",
                    "--server", server);
            assertThat(serverSide.err()).contains("no worker serves 'thumbnail_batch'");
        }
    }

    @Test
    void badInputAndFlagsAreUsageErrorsInOneLine() {
        Run missing = run("batch", root.resolve("nope").toString(), "--out", root.resolve("o").toString(),
                "--server", farm.server());
        assertThat(missing.code()).isEqualTo(ThumbnailCli.EXIT_USAGE);
        assertThat(missing.err()).contains("nope is not a folder (it does not exist)");
        Run noOut = run("batch", input.toString());
        assertThat(noOut.code()).isEqualTo(ThumbnailCli.EXIT_USAGE);
        assertThat(noOut.err().trim()).isEqualTo("thumbnail: batch needs --out DIR|s3://bucket/prefix (or THUMBNAIL_OUT)");
        Run badFlag = run("batch", input.toString(), "--out", "o", "--progress", "fancy");
        assertThat(badFlag.err().trim()).isEqualTo("thumbnail: --progress \"fancy\" is not one of auto, bar, lines, none");
        Run unknown = run("batch", "--frobnicate");
        assertThat(unknown.code()).isEqualTo(ThumbnailCli.EXIT_USAGE);
        assertThat(unknown.err()).contains("try thumbnail batch --help");
    }

    @Test
    void everyCommandExplainsItselfWithExamples() {
        for (String command : List.of("submit", "batch", "status")) {
            Run help = run(command, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("Usage: thumbnail " + command).contains("Example");
        }
        assertThat(run("--help").out()).contains("Exit codes: 0 all done; 1 some images failed");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
