package dev.gearfarm.images.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gearfarm.gearman.worker.JobHandler;
import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters as Prometheus sees them: names, labels, in-flight while a job runs, one count per job. */
class WorkerMetricsTest {

    private static double value(WorkerMetrics metrics, String sample) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        throw new AssertionError("no sample " + sample + " in:\n" + metrics.scrape());
    }

    @Test
    void aMeteredHandlerCountsItsOutcomesAndReasonsAndIsInFlightWhileItRuns() throws Exception {
        try (WorkerMetrics metrics = new WorkerMetrics()) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JobHandler ok = metrics.metered("thumbnail_batch", job -> {
                running.countDown();
                release.await(10, TimeUnit.SECONDS);
                return new byte[0];
            });
            String inFlight = "image_worker_jobs_in_flight{function=\"thumbnail_batch\"}";
            assertThat(value(metrics, inFlight)).isZero();
            CompletableFuture<byte[]> job = CompletableFuture.supplyAsync(() -> {
                try {
                    return ok.handle(null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(value(metrics, inFlight)).isEqualTo(1.0);
            release.countDown();
            job.get(10, TimeUnit.SECONDS);
            assertThat(value(metrics, inFlight)).isZero();

            JobHandler forbidden = metrics.metered("thumbnail_batch", job2 -> {
                throw new ImageJobException(Reason.FORBIDDEN, "source folder /etc is not under an allowed root");
            });
            assertThrows(ImageJobException.class, () -> forbidden.handle(null));
            JobHandler bug = metrics.metered("thumbnail_batch", job3 -> {
                throw new IllegalStateException("a bug");
            });
            assertThrows(IllegalStateException.class, () -> bug.handle(null));

            assertThat(value(metrics, "image_worker_jobs_total{function=\"thumbnail_batch\",outcome=\"completed\"}"))
                    .isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_jobs_total{function=\"thumbnail_batch\",outcome=\"failed\"}"))
                    .isEqualTo(2.0);
            assertThat(value(metrics, "image_worker_failures_total{reason=\"forbidden\"}")).isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_failures_total{reason=\"internal\"}")).isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_failures_total{reason=\"corrupt_image\"}")).isZero();
            assertThat(value(metrics, "image_worker_job_duration_seconds_count{function=\"thumbnail_batch\","
                    + "outcome=\"failed\"}")).isEqualTo(2.0);
        }
    }

    @Test
    void aJobEndedTwiceCountsOnceAndBytesOnlyForCompletedOnes() {
        try (WorkerMetrics metrics = new WorkerMetrics().function("thumbnail")) {
            WorkerMetrics.Job job = metrics.start("thumbnail");
            job.stage("decode", TimeUnit.MILLISECONDS.toNanos(30));
            job.completed(1000, 200, 2_000_000);
            job.failed(Reason.INTERNAL);
            metrics.start("thumbnail").failed(Reason.TOO_LARGE);
            assertThat(value(metrics, "image_worker_jobs_total{function=\"thumbnail\",outcome=\"completed\"}"))
                    .isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_jobs_total{function=\"thumbnail\",outcome=\"failed\"}"))
                    .isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_failures_total{reason=\"internal\"}")).isZero();
            assertThat(value(metrics, "image_worker_failures_total{reason=\"too_large\"}")).isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_source_bytes_total")).isEqualTo(1000.0);
            assertThat(value(metrics, "image_worker_output_bytes_total")).isEqualTo(200.0);
            assertThat(value(metrics, "image_worker_source_megapixels_sum")).isEqualTo(2.0);
            assertThat(value(metrics, "image_worker_source_megapixels_bucket{le=\"2.0\"}")).isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_source_megapixels_bucket{le=\"1.0\"}")).isZero();
            assertThat(value(metrics, "image_worker_stage_duration_seconds_bucket{stage=\"decode\",le=\"0.05\"}"))
                    .isEqualTo(1.0);
            assertThat(value(metrics, "image_worker_stage_duration_seconds_bucket{stage=\"decode\",le=\"0.025\"}"))
                    .isZero();
        }
    }
}
