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
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An embedded worker with its HTTP endpoint on a free port, against our gearmand process: a good and a bad
 * job move the right counters on {@code /metrics} with the right labels, {@code /health} is 200 while
 * connected, and closing makes the worker unhealthy and frees its port.
 */
class ImageWorkerMetricsIT {
    private static final String GOOD_SPEC = "{\"id\":\"good\",\"source\":\"inline\","
            + "\"outputs\":[{\"width\":64,\"destination\":\"inline\"}]}";

    @Test
    void aGoodAndABadJobMoveTheCountersWithTheirLabels() throws Exception {
        byte[] jpeg = ImageWorkerMetricsTest.jpeg(400, 300);
        // The first half of a baseline JPEG: its header is whole, its scan data ends early.
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        int gearmanPort = Proc.freePort();
        try (Proc server = Proc.gearmand(gearmanPort);
                ImageWorkerService worker = ImageWorkerService.start(ImageWorkerOptions.builder()
                        .servers("127.0.0.1:" + gearmanPort).concurrency(1).httpPort(0).httpListen("127.0.0.1")
                        .build());
                GearmanClient client = GearmanClient.create(ClientOptions.builder()
                        .servers("127.0.0.1:" + gearmanPort).build())) {
            int port = worker.httpAddress().getPort();
            HttpResponse<String> health = Scrape.await(port, "/health", 200);
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");

            byte[] answer = client.submit(JobRequest.of(ImageWorkerService.THUMBNAIL,
                    new Payload(GOOD_SPEC.getBytes(StandardCharsets.UTF_8), jpeg).toBytes()))
                    .result().get(60, TimeUnit.SECONDS);
            JobResult result = JobJson.readResult(Payload.parse(answer).json());
            ExecutionException bad = assertThrows(ExecutionException.class, () -> client.submit(JobRequest.of(
                    ImageWorkerService.THUMBNAIL, new Payload(GOOD_SPEC.getBytes(StandardCharsets.UTF_8), truncated)
                            .toBytes())).result().get(60, TimeUnit.SECONDS));
            assertThat(((JobExceptionException) bad.getCause()).workerMessage()).contains("truncated");

            HttpResponse<String> page = Scrape.get(port, "/metrics");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            Map<String, Double> m = Scrape.samples(page.body());
            assertThat(m).containsEntry("image_worker_jobs_total{function=\"thumbnail\",outcome=\"completed\"}", 1.0)
                    .containsEntry("image_worker_jobs_total{function=\"thumbnail\",outcome=\"failed\"}", 1.0)
                    .containsEntry("image_worker_jobs_total{function=\"thumbnail_batch\",outcome=\"completed\"}", 0.0)
                    .containsEntry("image_worker_failures_total{reason=\"corrupt_image\"}", 1.0)
                    .containsEntry("image_worker_failures_total{reason=\"bad_spec\"}", 0.0)
                    .containsEntry("image_worker_source_bytes_total", (double) jpeg.length)
                    .containsEntry("image_worker_output_bytes_total", (double) result.outputs().get(0).bytes())
                    .containsEntry("image_worker_source_megapixels_count", 1.0)
                    .containsEntry("image_worker_source_megapixels_sum", 0.12)
                    .containsEntry("image_worker_jobs_in_flight{function=\"thumbnail\"}", 0.0)
                    .containsEntry("image_worker_connected_servers", 1.0)
                    .containsEntry("image_worker_job_duration_seconds_count{function=\"thumbnail\",outcome=\"completed\"}",
                            1.0)
                    .containsEntry("image_worker_job_duration_seconds_count{function=\"thumbnail\",outcome=\"failed\"}",
                            1.0)
                    // Both jobs were fetched (inline), only the good one decoded, encoded once.
                    .containsEntry("image_worker_stage_duration_seconds_count{stage=\"fetch\"}", 2.0)
                    .containsEntry("image_worker_stage_duration_seconds_count{stage=\"decode\"}", 1.0)
                    .containsEntry("image_worker_stage_duration_seconds_count{stage=\"encode\"}", 1.0)
                    .containsEntry("image_worker_job_duration_seconds_bucket{function=\"thumbnail\","
                            + "outcome=\"completed\",le=\"+Inf\"}", 1.0)
                    .containsKeys("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}", "process_cpu_usage",
                            "jvm_threads_live_threads", "process_uptime_seconds",
                            "image_worker_decode_budget_available_megapixels");
            assertThat(m.keySet()).as("a percentile histogram has many buckets")
                    .filteredOn(k -> k.startsWith("image_worker_job_duration_seconds_bucket{function=\"thumbnail\","
                            + "outcome=\"completed\""))
                    .hasSizeGreaterThan(20);
            assertThat(page.body()).contains("# TYPE image_worker_jobs_total counter",
                    "# TYPE image_worker_job_duration_seconds histogram");

            assertThat(Scrape.get(port, "/nope").statusCode()).isEqualTo(404);
            assertThat(Scrape.get(port, "/metrics/x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aClosedWorkerIsUnhealthyAndItsPortIsFreed() throws Exception {
        int gearmanPort = Proc.freePort();
        try (Proc server = Proc.gearmand(gearmanPort)) {
            ImageWorkerService worker = ImageWorkerService.start(ImageWorkerOptions.builder()
                    .servers("127.0.0.1:" + gearmanPort).concurrency(1).httpPort(0).httpListen("127.0.0.1").build());
            int port = worker.httpAddress().getPort();
            assertThat(Scrape.await(port, "/health", 200).statusCode()).isEqualTo(200);
            worker.close();
            assertThat(worker.problem()).isEqualTo("shutting down");
            try (ServerSocket again = new ServerSocket(port)) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }
    }

}
