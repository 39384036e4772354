package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_COMPLETE;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_EXCEPTION;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_FAIL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.metrics.MetricsEndpoint;
import dev.gearfarm.gearmand.metrics.ServerMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --http-port}: what Prometheus and a health probe read, scraped over real HTTP. */
class MetricsTest extends ServerTestSupport {
    private final ServerMetrics metrics = new ServerMetrics();
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsEndpoint endpoint;

    private MetricsEndpoint endpoint() {
        if (endpoint == null) {
            start(metrics);
            try {
                endpoint = MetricsEndpoint.start("127.0.0.1", 0, server(), metrics);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return endpoint;
    }

    @AfterEach
    void closeEndpoint() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint().port() + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of one sample, or NaN when the series is absent. */
    private double sample(String series) {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(response.body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void queueGaugesFollowTheEngine() {
        endpoint();
        WireClient client = connect();
        for (int i = 0; i < 3; i++) {
            client.submit(SUBMIT_JOB_BG, "thumbnail", "", "job" + i);
        }
        WireClient worker = worker("thumbnail");
        worker.grab();

        assertThat(sample("gearmand_jobs_queued{function=\"thumbnail\"}")).isEqualTo(2.0);
        assertThat(sample("gearmand_jobs_running{function=\"thumbnail\"}")).isEqualTo(1.0);
        assertThat(sample("gearmand_workers{function=\"thumbnail\"}")).isEqualTo(1.0);
        assertThat(sample("gearmand_connections")).isEqualTo(2.0);
    }

    @Test
    void countsJobsByHowTheyEndedWithLatencyHistograms() {
        endpoint();
        WireClient client = connect();
        WireClient worker = worker("resize");
        String done = client.submit(SUBMIT_JOB, "resize", "", "a");
        worker.grab(done, "resize", "a");
        worker.send(WORK_COMPLETE, done, "ok");
        client.expect(WORK_COMPLETE, done, "ok");
        String failed = client.submit(SUBMIT_JOB, "resize", "", "b");
        worker.grab(failed, "resize", "b");
        worker.send(WORK_FAIL, failed);
        client.expect(WORK_FAIL, failed);
        String threw = client.submit(SUBMIT_JOB_BG, "resize", "", "c");
        worker.grab(threw, "resize", "c");
        worker.send(WORK_EXCEPTION, threw, "boom");
        String retried = client.submit(SUBMIT_JOB_BG, "resize", "", "d");
        worker.grab(retried, "resize", "d");
        worker.close();

        eventually(() -> assertThat(sample("gearmand_jobs_retried_total{function=\"resize\"}")).isEqualTo(1.0));
        assertThat(sample("gearmand_jobs_submitted_total{function=\"resize\"}")).isEqualTo(4.0);
        assertThat(sample("gearmand_jobs_completed_total{function=\"resize\"}")).isEqualTo(1.0);
        assertThat(sample("gearmand_jobs_failed_total{function=\"resize\",reason=\"failed\"}")).isEqualTo(1.0);
        assertThat(sample("gearmand_jobs_failed_total{function=\"resize\",reason=\"exception\"}")).isEqualTo(1.0);
        assertThat(sample("gearmand_job_latency_seconds_count{function=\"resize\"}")).isEqualTo(3.0);
        assertThat(sample("gearmand_job_wait_seconds_count{function=\"resize\"}")).isEqualTo(4.0);
        assertThat(get("/metrics").body())
                .contains("gearmand_job_latency_seconds_bucket{function=\"resize\",le=\"+Inf\"} 3")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void healthIsOkWhileServingAndUnavailableWhileDraining() {
        endpoint();
        WireClient client = connect();
        assertThat(get("/health").statusCode()).isEqualTo(200);
        client.submit(SUBMIT_JOB_BG, "slow", "", "x");
        WireClient worker = worker("slow");
        worker.grab();
        client.admin("shutdown graceful");

        eventually(() -> {
            HttpResponse<String> health = get("/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("draining");
        });
    }

    @Test
    void unknownPathsAreNotFound() {
        endpoint();
        assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    }
}
