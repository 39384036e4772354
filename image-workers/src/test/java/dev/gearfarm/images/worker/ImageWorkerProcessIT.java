package dev.gearfarm.images.worker;

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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The {@code image-worker} process ({@code java -jar image-worker.jar}, as the containers run it) against
 * our gearmand and s3proxy: at the default level its output has no DEBUG line, no AWS SDK or HttpClient
 * wire log, no credential and no stack trace for an expected failure; at {@code --log-level debug} our
 * DEBUG lines appear and the credentials still do not; {@code --http-port} serves the job counters and
 * {@code /health}.
 */
class ImageWorkerProcessIT {
    private static S3ProxyServer s3;
    private static Proc gearmand;
    private static int gearmanPort;
    private static GearmanClient client;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(Files.createTempDirectory("image-worker-process-s3"));
        s3.createBucket("photos");
        s3.createBucket("thumbs");
        s3.client().putObject(b -> b.bucket("photos").key("a.jpg"),
                RequestBody.fromBytes(ImageWorkerMetricsTest.jpeg(640, 480)));
        gearmanPort = Proc.freePort();
        gearmand = Proc.gearmand(gearmanPort);
        client = GearmanClient.create(ClientOptions.builder().servers("127.0.0.1:" + gearmanPort).build());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {client, gearmand, s3}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** A worker with S3 credentials from the environment (as the deploy files pass them), plus {@code flags}. */
    private static Proc worker(Map<String, String> env, String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("--server", "127.0.0.1:" + gearmanPort, "--concurrency", "1",
                "--s3-endpoint", s3.endpoint().toString(), "--s3-region", s3.region()));
        all.addAll(List.of(flags));
        Map<String, String> withKeys = new java.util.HashMap<>(env);
        withKeys.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        withKeys.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        return Proc.imageWorkerJar(all, withKeys);
    }

    private static byte[] submit(String json) throws Exception {
        return client.submit(JobRequest.of(ImageWorkerService.THUMBNAIL, json.getBytes(StandardCharsets.UTF_8)))
                .result().get(120, TimeUnit.SECONDS);
    }

    /** One good S3-to-S3 job and one whose source is missing; returns the missing one's answer. */
    private static String goodAndMissing(String name) throws Exception {
        byte[] ok = submit("{\"id\":\"" + name + "\",\"source\":\"s3://photos/a.jpg\","
                + "\"outputs\":[{\"width\":96,\"destination\":\"s3://thumbs/" + name + ".jpg\"}]}");
        JobResult result = JobJson.readResult(Payload.parse(ok).json());
        assertThat(result.outputs().get(0).location()).isEqualTo("s3://thumbs/" + name + ".jpg");
        ExecutionException missing = assertThrows(ExecutionException.class, () -> submit(
                "{\"source\":\"s3://photos/nope.jpg\",\"outputs\":[{\"width\":96,\"destination\":\"inline\"}]}"));
        return ((JobExceptionException) missing.getCause()).workerMessage();
    }

    @Test
    void atTheDefaultLevelTheOutputIsOneLinePerJobWithoutWireLogsOrCredentials() throws Exception {
        int httpPort = Proc.freePort();
        // IMAGE_WORKER_HTTP_PORT: the environment form of --http-port, as compose and systemd may pass it.
        try (Proc worker = worker(Map.of("IMAGE_WORKER_HTTP_PORT", String.valueOf(httpPort),
                "IMAGE_WORKER_HTTP_LISTEN", "127.0.0.1"))) {
            HttpResponse<String> health = Scrape.await(httpPort, "/health", 200);
            assertThat(health.statusCode()).as(health.body() + "\n" + worker.output()).isEqualTo(200);
            Proc.awaitWorkers(gearmanPort, ImageWorkerService.THUMBNAIL, 1);
            assertThat(goodAndMissing("default")).contains("s3://photos/nope.jpg");

            Map<String, Double> m = Scrape.samples(Scrape.get(httpPort, "/metrics").body());
            assertThat(m).containsEntry("image_worker_jobs_total{function=\"thumbnail\",outcome=\"completed\"}", 1.0)
                    .containsEntry("image_worker_jobs_total{function=\"thumbnail\",outcome=\"failed\"}", 1.0)
                    .containsEntry("image_worker_failures_total{reason=\"not_found\"}", 1.0)
                    .containsEntry("image_worker_stage_duration_seconds_count{stage=\"store\"}", 1.0);

            // The JVM ends with 128 + SIGTERM after its shutdown hook drained the worker.
            assertThat(worker.stop()).isIn(0, 143);
            String out = worker.output();
            System.out.println("image-worker output at the default level:\n" + out);
            assertThat(out).as(out).contains("result=ok", "result=failed reason=NOT_FOUND", "metrics on http://")
                    .doesNotContain("DEBUG", "Authorization", "AWS4-HMAC-SHA256", "http-outgoing", s3.accessKey(),
                            s3.secretKey())
                    .doesNotContain("\tat ", "Exception:");
            // start-up, metrics, 2 jobs, stopping, stopped
            assertThat(out.lines().count()).as(out).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void atDebugOurLinesAppearAndTheCredentialsStillDoNot() throws Exception {
        try (Proc worker = worker(Map.of(), "--log-level", "debug")) {
            Proc.awaitWorkers(gearmanPort, ImageWorkerService.THUMBNAIL, 1);
            goodAndMissing("debug");
            worker.stop();
            String out = worker.output();
            assertThat(out).as(out).contains(" DEBUG ", "result=ok")
                    .doesNotContain("Authorization", "AWS4-HMAC-SHA256", "http-outgoing", s3.accessKey(),
                            s3.secretKey());
        }
    }

    @Test
    void aBadLogLevelOrPortIsOneLineAndExitCode2() throws Exception {
        try (Proc level = worker(Map.of(), "--log-level", "loud");
                Proc port = worker(Map.of("IMAGE_WORKER_HTTP_PORT", "-3"))) {
            assertThat(level.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(port.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(level.process.exitValue()).isEqualTo(2);
            assertThat(port.process.exitValue()).isEqualTo(2);
            assertThat(level.output().strip()).isEqualTo("image-worker: unknown log level \"loud\"; use one of: error,"
                    + " warn, info, debug, trace, off (--log-level or IMAGE_WORKER_LOG_LEVEL)");
            assertThat(port.output().strip()).isEqualTo(
                    "image-worker: --http-port must be 1..65535, or 0 for no metrics endpoint; got -3");
        }
    }
}
