package dev.gearfarm.images.worker;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.gearman.worker.JobHandler;
import dev.gearfarm.gearman.worker.WorkerJob;
import dev.gearfarm.images.metrics.WorkerMetrics;
import dev.gearfarm.images.spec.JobResult;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code thumbnail} function: runs the {@link ThumbnailPipeline}, sends {@code WORK_STATUS} as it
 * goes, and logs one line per job. A failure is thrown as an {@link ImageJobException}, which the
 * worker library sends as {@code WORK_EXCEPTION} with its message (the server turns it into
 * {@code WORK_FAIL} for clients that did not ask for exceptions); the worker keeps serving.
 */
public final class ThumbnailHandler implements JobHandler {
    /** The logger of the per-job lines, so they can be routed apart from the rest. */
    public static final String JOB_LOG = "dev.gearfarm.images.jobs";
    private static final Logger LOG = LoggerFactory.getLogger(JOB_LOG);

    private final ThumbnailPipeline pipeline;
    private final WorkerMetrics metrics;

    /** A handler whose metrics nobody reads (tests, the benchmark). */
    public ThumbnailHandler(ThumbnailPipeline pipeline) {
        this(pipeline, new WorkerMetrics());
    }

    /** A handler that counts and times its jobs in {@code metrics} as function {@code thumbnail}. */
    public ThumbnailHandler(ThumbnailPipeline pipeline, WorkerMetrics metrics) {
        this.pipeline = pipeline;
        this.metrics = metrics.function(ImageWorkerService.THUMBNAIL).stages(
                java.util.Arrays.stream(ThumbnailPipeline.Stage.values()).map(ThumbnailPipeline.Stage::label).toList());
    }

    @Override
    public byte[] handle(WorkerJob job) {
        long start = System.nanoTime();
        WorkerMetrics.Job metered = metrics.start(ImageWorkerService.THUMBNAIL);
        try {
            ThumbnailPipeline.Outcome outcome = pipeline.run(job.payload(), job::sendStatus,
                    (stage, nanos) -> metered.stage(stage.label(), nanos));
            long outBytes = outcome.result().outputs().stream().mapToLong(o -> o.bytes()).sum();
            JobResult.SourceInfo source = outcome.result().source();
            metered.completed(source.bytes(), outBytes, (long) source.width() * source.height());
            LOG.info("job={} id={} source={} outputs={} ms={} in_bytes={} out_bytes={} result=ok", job.handle(),
                    outcome.spec().id(), outcome.spec().source(), outcome.result().outputs().size(), millis(start),
                    outcome.result().source().bytes(), outBytes);
            return outcome.bytes();
        } catch (ImageJobException e) {
            metered.failed(e.reason());
            LOG.info("job={} payload_bytes={} ms={} result=failed reason={} message=\"{}\"", job.handle(),
                    job.payload().length, millis(start), e.reason(), e.getMessage());
            throw e;
        } catch (OutOfMemoryError e) {
            // Whatever this job allocated is garbage now; failing the job frees it and the worker goes on.
            ImageJobException failure = new ImageJobException(Reason.TOO_LARGE, "the worker ran out of memory on this"
                    + " job; send a smaller image, or lower --concurrency or --max-pixels, or raise -Xmx", e);
            metered.failed(failure.reason());
            LOG.warn("job={} payload_bytes={} ms={} result=failed reason={} message=\"{}\"", job.handle(),
                    job.payload().length, millis(start), failure.reason(), failure.getMessage());
            throw failure;
        } catch (Error e) {
            // Not ours to handle (the worker library logs it with its stack trace); counted so in-flight drops.
            metered.failed(Reason.INTERNAL);
            throw e;
        } catch (RuntimeException e) {
            ImageJobException failure = new ImageJobException(Reason.INTERNAL,
                    "internal error in the thumbnail worker: " + e, e);
            metered.failed(failure.reason());
            LOG.error("job={} payload_bytes={} ms={} result=failed reason=INTERNAL", job.handle(),
                    job.payload().length, millis(start), e);
            throw failure;
        }
    }

    private static long millis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
