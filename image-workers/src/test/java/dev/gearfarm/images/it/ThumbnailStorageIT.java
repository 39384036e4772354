package dev.gearfarm.images.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import dev.gearfarm.images.spec.Payload;
import dev.gearfarm.images.testsupport.Proc;
import dev.gearfarm.images.testsupport.S3ProxyServer;
import dev.gearfarm.images.testsupport.TestImages;
import dev.gearfarm.images.worker.ImageWorkerService;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A worker process against a real S3-compatible server (s3proxy) and with a heap too small for its
 * job: S3 source to S3 destination, clear errors for a missing object and a missing bucket, and an
 * out-of-memory job that fails alone while the worker keeps serving.
 */
class ThumbnailStorageIT {
    private static int port;
    private static Proc server;
    private static S3ProxyServer s3;
    private static Proc s3Worker;
    private static GearmanClient client;

    @BeforeAll
    static void start() throws Exception {
        TestImages.root();
        s3 = S3ProxyServer.start(Files.createTempDirectory("image-it-s3"));
        s3.createBucket("photos");
        s3.createBucket("thumbs");
        s3.client().putObject(b -> b.bucket("photos").key("2026/landscape-6.jpg"),
                RequestBody.fromBytes(TestImages.bytes("exif/Landscape_6.jpg")));
        port = Proc.freePort();
        server = Proc.gearmand(port);
        s3Worker = Proc.imageWorker(port, "--s3-endpoint", s3.endpoint().toString(), "--s3-region", s3.region(),
                "--s3-access-key", s3.accessKey(), "--s3-secret-key", s3.secretKey(), "--client-id", "it-s3");
        Proc.awaitWorkers(port, ImageWorkerService.THUMBNAIL, 1);
        client = GearmanClient.create(ClientOptions.builder().servers("127.0.0.1:" + port).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {s3Worker, server, s3}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static byte[] submit(byte[] payload) throws Exception {
        return client.submit(JobRequest.of(ImageWorkerService.THUMBNAIL, payload)).result().get(120, TimeUnit.SECONDS);
    }

    @Test
    void s3SourceToS3DestinationUpright() throws Exception {
        String json = """
                {"source": "s3://photos/2026/landscape-6.jpg",
                 "outputs": [{"width": 256, "destination": "s3://thumbs/2026/landscape-6-256.jpg"}]}""";
        JobResult result = JobJson.readResult(Payload.parse(submit(json.getBytes(StandardCharsets.UTF_8))).json());
        assertThat(result.source().orientation()).isEqualTo(6);
        assertThat(result.outputs().get(0).location()).isEqualTo("s3://thumbs/2026/landscape-6-256.jpg");
        byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket("thumbs").key("2026/landscape-6-256.jpg")).asByteArray();
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(stored));
        assertThat(thumb.getWidth()).isEqualTo(256);
        assertThat(thumb.getHeight()).isEqualTo(171);
        assertThat((long) stored.length).isEqualTo(result.outputs().get(0).bytes());
    }

    @Test
    void aMissingObjectAndAMissingBucketAreNamedInTheAnswer() {
        String missingKey = """
                {"source": "s3://photos/nope.jpg", "outputs": [{"width": 64, "destination": "inline"}]}""";
        ExecutionException e1 = assertThrows(ExecutionException.class,
                () -> submit(missingKey.getBytes(StandardCharsets.UTF_8)));
        assertThat(((JobExceptionException) e1.getCause()).workerMessage()).contains("s3://photos/nope.jpg");
        String missingBucket = """
                {"source": "s3://photos/2026/landscape-6.jpg",
                 "outputs": [{"width": 64, "destination": "s3://no-such-bucket/x.jpg"}]}""";
        ExecutionException e2 = assertThrows(ExecutionException.class,
                () -> submit(missingBucket.getBytes(StandardCharsets.UTF_8)));
        assertThat(((JobExceptionException) e2.getCause()).workerMessage()).contains("no-such-bucket");
    }

    @Test
    void aJobThatRunsOutOfMemoryFailsAloneAndTheWorkerKeepsServing() throws Exception {
        int oomPort = Proc.freePort();
        try (Proc oomServer = Proc.gearmand(oomPort);
                Proc small = Proc.imageWorker("48m", oomPort, "--concurrency", "1", "--client-id", "it-small-heap");
                GearmanClient oomClient = GearmanClient.create(ClientOptions.builder()
                        .servers("127.0.0.1:" + oomPort).build())) {
            Proc.awaitWorkers(oomPort, ImageWorkerService.THUMBNAIL, 1);
            // 5640x3172 (17.9 MP, 72 MB as INT_RGB) cannot be decoded whole in a 48 MB heap; a blur among
            // the source operations turns shrink on load off, so the decoder must try.
            byte[] big = Files.readAllBytes(TestImages.root().resolve("photos/Elephants_5640x3172.jpg"));
            byte[] payload = new Payload(("{\"source\":\"inline\",\"operations\":[{\"op\":\"blur\",\"sigma\":1}],"
                    + "\"outputs\":[{\"width\":64,\"destination\":\"inline\"}]}").getBytes(StandardCharsets.UTF_8), big)
                    .toBytes();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> oomClient.submit(
                    JobRequest.of(ImageWorkerService.THUMBNAIL, payload)).result().get(120, TimeUnit.SECONDS));
            assertThat(((JobExceptionException) failure.getCause()).workerMessage()).contains("memory");
            byte[] ok = oomClient.submit(JobRequest.of(ImageWorkerService.THUMBNAIL, new Payload(
                    "{\"source\":\"inline\",\"outputs\":[{\"width\":64,\"destination\":\"inline\"}]}"
                            .getBytes(StandardCharsets.UTF_8), TestImages.bytes("exif/Landscape_1.jpg")).toBytes()))
                    .result().get(120, TimeUnit.SECONDS);
            assertThat(JobJson.readResult(Payload.parse(ok).json()).outputs().get(0).width()).isEqualTo(64);
            assertThat(small.process.isAlive()).isTrue();
        }
    }
}
