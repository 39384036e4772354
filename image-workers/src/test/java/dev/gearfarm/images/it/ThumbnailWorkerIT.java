package dev.gearfarm.images.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobListener;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import dev.gearfarm.images.spec.Payload;
import dev.gearfarm.images.testsupport.Proc;
import dev.gearfarm.images.testsupport.TestImages;
import dev.gearfarm.images.testsupport.Tools;
import dev.gearfarm.images.worker.ImageWorkerService;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with real processes: our gearmand, two image-worker processes, and jobs from the C
 * {@code gearman} tool (payload built by printf, as the README shows) and from our Java client.
 */
class ThumbnailWorkerIT {
    private static int port;
    private static Proc server;
    private static final List<Proc> WORKERS = new ArrayList<>();
    private static Path outputs;
    private static GearmanClient client;

    @BeforeAll
    static void startFarm() throws Exception {
        Path images = TestImages.root();
        outputs = Files.createTempDirectory("image-it-out");
        port = Proc.freePort();
        server = Proc.gearmand(port);
        for (int i = 0; i < 2; i++) {
            WORKERS.add(Proc.imageWorker(port, "--concurrency", "2", "--allow-root", images.toString(),
                    "--output-root", outputs.toString(), "--client-id", "it-worker-" + i));
        }
        Proc.awaitWorkers(port, ImageWorkerService.THUMBNAIL, 2);
        client = GearmanClient.create(ClientOptions.builder().servers("127.0.0.1:" + port).build());
    }

    @AfterAll
    static void stopFarm() throws Exception {
        if (client != null) {
            client.close();
        }
        for (Proc worker : WORKERS) {
            worker.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static byte[] submit(byte[] payload) throws Exception {
        return client.submit(JobRequest.of(ImageWorkerService.THUMBNAIL, payload)).result().get(120, TimeUnit.SECONDS);
    }

    private static byte[] inline(String json, byte[] image) {
        return new Payload(json.getBytes(StandardCharsets.UTF_8), image).toBytes();
    }

    private static final String INLINE_128 =
            "{\"source\":\"inline\",\"outputs\":[{\"width\":128,\"height\":128,\"destination\":\"inline\"}]}";

    @Test
    void cGearmanToolSendsAnInlineImageBuiltWithPrintfAndGetsTheThumbnailBack() throws Exception {
        String gearman = Tools.require("gearman", "gearman-tools", "submitting jobs with the C client");
        Path photo = TestImages.get("exif/Landscape_8.jpg");
        Path result = Files.createTempFile("gearman-result", ".bin");
        String script = "(printf '%s\\0' \"$JSON\"; cat \"$PHOTO\") | \"$GEARMAN\" -h 127.0.0.1 -p " + port
                + " -f thumbnail > \"$OUT\"";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("JSON", INLINE_128, "PHOTO", photo.toString(), "GEARMAN", gearman,
                "OUT", result.toString()));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

        // The C tool may print "N% Complete" status lines before the result on stdout: the result is the
        // last JSON object, from its opening brace to the NUL.
        byte[] raw = Files.readAllBytes(result);
        int start = new String(raw, StandardCharsets.ISO_8859_1).lastIndexOf("{\"source\"");
        Payload payload = Payload.parse(java.util.Arrays.copyOfRange(raw, start, raw.length));
        JobResult parsed = JobJson.readResult(payload.json());
        assertThat(parsed.source().orientation()).isEqualTo(8);
        JobResult.OutputResult out = parsed.outputs().get(0);
        assertThat(out.width()).isEqualTo(128);
        assertThat(out.height()).isEqualTo(85);
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(payload.blob(), out.offset().intValue(),
                (int) out.bytes()));
        assertThat(thumb.getWidth()).isEqualTo(128);
    }

    @Test
    void cGearmanToolGetsAFailureForABombAndTheNextJobStillWorks() throws Exception {
        String gearman = Tools.require("gearman", "gearman-tools", "submitting jobs with the C client");
        Path bomb = TestImages.get("gdk-pixbuf/large.png");
        String script = "(printf '%s\\0' \"$JSON\"; cat \"$PHOTO\") | \"$GEARMAN\" -h 127.0.0.1 -p " + port
                + " -f thumbnail";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("JSON", INLINE_128, "PHOTO", bomb.toString(), "GEARMAN", gearman));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // Without the exceptions option the C client gets WORK_FAIL: it says "Job failed" and exits 1.
        assertThat(p.exitValue()).as(said).isNotZero();
        assertThat(said).contains("failed");
        byte[] ok = submit(inline(INLINE_128, TestImages.bytes("exif/Landscape_1.jpg")));
        assertThat(JobJson.readResult(Payload.parse(ok).json()).outputs()).hasSize(1);
    }

    @Test
    void javaClientGetsTheWorkersMessageForHostileFilesAndTheWorkersKeepServing() throws Exception {
        for (String hostile : List.of("gdk-pixbuf/large.jpg", "gdk-pixbuf/premature-end.jpg",
                "gdk-pixbuf/test-images/fail/bug793470-crasher.png",
                "gdk-pixbuf/test-images/fail/CVE-2017-2862.jpg")) {
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> submit(inline(INLINE_128, TestImages.bytes(hostile))));
            assertThat(failure.getCause()).isInstanceOf(JobExceptionException.class);
            assertThat(((JobExceptionException) failure.getCause()).workerMessage()).startsWith("source inline is");
        }
        byte[] ok = submit(inline(INLINE_128, TestImages.bytes("exif/Portrait_3.jpg")));
        assertThat(JobJson.readResult(Payload.parse(ok).json()).outputs().get(0).height()).isEqualTo(128);
    }

    @Test
    void javaClientJobsFromFilesToFilesSpreadOverBothWorkersWithProgress() throws Exception {
        List<CompletableFuture<byte[]>> jobs = new ArrayList<>();
        AtomicLong statuses = new AtomicLong();
        JobListener listener = new JobListener() {
            @Override
            public void onStatus(long numerator, long denominator) {
                statuses.incrementAndGet();
            }
        };
        for (int i = 1; i <= 8; i++) {
            String json = """
                    {"id": "o%d", "source": "%s", "outputs": [
                      {"width": 200, "destination": "%s"},
                      {"width": 64, "height": 64, "fit": "fill", "format": "png", "destination": "%s"}]}"""
                    .formatted(i, TestImages.get("exif/Landscape_" + i + ".jpg"), outputs.resolve("l" + i + ".jpg"),
                            outputs.resolve("l" + i + ".png"));
            jobs.add(client.submit(JobRequest.of(ImageWorkerService.THUMBNAIL, json.getBytes(StandardCharsets.UTF_8)),
                    listener).result());
        }
        for (CompletableFuture<byte[]> job : jobs) {
            JobResult result = JobJson.readResult(Payload.parse(job.get(120, TimeUnit.SECONDS)).json());
            assertThat(Path.of(result.outputs().get(0).location())).exists();
            assertThat(result.outputs().get(0).width()).isEqualTo(200);
            assertThat(result.outputs().get(1).width()).isEqualTo(64);
        }
        assertThat(statuses.get()).isGreaterThanOrEqualTo(8 * 4);
        for (Proc worker : WORKERS) {
            assertThat(worker.output()).contains("result=ok");
        }
    }

    @Test
    void sigtermLetsTheRunningJobFinishThenTheWorkerExits() throws Exception {
        try (Proc extra = Proc.imageWorker(port, "--concurrency", "1", "--client-id", "it-sigterm",
                "--shutdown-timeout", "120")) {
            Proc.awaitWorkers(port, ImageWorkerService.THUMBNAIL, 3);
            // Many outputs of a large photo keep one job busy for a while, on whichever worker takes it;
            // several at once make sure the extra worker is running one when it gets SIGTERM.
            byte[] photo = Files.readAllBytes(TestImages.files("photos").get(0));
            StringBuilder outputsJson = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                outputsJson.append(i == 0 ? "" : ",").append("{\"width\":").append(1000 + i * 10)
                        .append(",\"destination\":\"inline\"}");
            }
            byte[] payload = inline("{\"source\":\"inline\",\"outputs\":[" + outputsJson + "]}", photo);
            List<CompletableFuture<byte[]>> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jobs.add(client.submit(JobRequest.of(ImageWorkerService.THUMBNAIL, payload)).result());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // Six jobs for five slots (2 + 2 + 1): once five run, the extra worker is running one.
            while (running() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            extra.process.destroy();   // SIGTERM
            assertThat(extra.process.waitFor(120, TimeUnit.SECONDS)).as(extra.output()).isTrue();
            for (CompletableFuture<byte[]> job : jobs) {
                assertThat(JobJson.readResult(Payload.parse(job.get(300, TimeUnit.SECONDS)).json()).outputs()).hasSize(6);
            }
            String log = extra.output();
            assertThat(log).contains("image-worker stopping").contains("image-worker stopped");
            int stopping = log.indexOf("image-worker stopping");
            assertThat(log.indexOf("result=ok", stopping)).as("a job finished after SIGTERM: " + log).isPositive();
        }
    }

    /** Running thumbnail jobs, from the server's admin status (function, total, running, workers). */
    private static int running() throws Exception {
        return Proc.admin(port, "status").lines().filter(l -> l.startsWith("thumbnail\t"))
                .mapToInt(l -> Integer.parseInt(l.split("\t")[2])).sum();
    }
}
