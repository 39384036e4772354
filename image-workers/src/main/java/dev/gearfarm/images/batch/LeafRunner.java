package dev.gearfarm.images.batch;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.JobFailedException;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import dev.gearfarm.images.spec.Payload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs leaf {@code thumbnail} jobs through a pipelined {@link GearmanClient} with at most {@code
 * inFlight} submitted and unfinished at once. Outcomes are handed, one at a time and in completion
 * order, to a consumer on a thread of its own (never on the client's I/O threads), so the consumer may
 * write files and needs no locking.
 *
 * <p>A worker that dies mid-job is no concern here: the server gives its job to another worker and the
 * result arrives later. A job server that goes away takes its jobs' futures with it: those jobs are
 * submitted again (the client picks a server still up), at most {@link #SERVER_LOSS_RETRIES} times; a
 * thumbnail is written by atomic rename, so one that ran twice does no harm. A job that gets no answer
 * within the job timeout counts as failed.
 */
public final class LeafRunner {
    /** The leaf function the image workers serve. */
    public static final String LEAF_FUNCTION = "thumbnail";
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(5);
    /** How often one leaf is submitted again after the server holding it went away. */
    public static final int SERVER_LOSS_RETRIES = 3;

    private static final Logger log = LoggerFactory.getLogger(LeafRunner.class);

    /** Builds a leaf job's payload (e.g. with the image bytes inline); may throw to fail just that item. */
    @FunctionalInterface
    public interface Payloads {
        byte[] payload(BatchItem item) throws Exception;
    }

    /**
     * How one leaf job ended: a result (with the blob of inline outputs, possibly empty) or an error.
     */
    public record Outcome(BatchItem item, JobResult result, byte[] blob, String error) {
        public boolean ok() {
            return error == null;
        }

        static Outcome failed(BatchItem item, String error) {
            return new Outcome(item, null, null, error);
        }
    }

    private final GearmanClient client;
    private final int inFlight;
    private final Duration jobTimeout;

    public LeafRunner(GearmanClient client, int inFlight, Duration jobTimeout) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("in-flight jobs must be at least 1, got " + inFlight);
        }
        this.client = client;
        this.inFlight = inFlight;
        this.jobTimeout = jobTimeout;
    }

    /** The payload of a job whose spec names its source (no inline bytes). */
    public static byte[] specOnly(BatchItem item) {
        return JobJson.write(item.spec());
    }

    /**
     * Submits every item and returns when each has an outcome. Items with a {@link BatchItem#problem()} are
     * not submitted; they fail with it.
     *
     * @throws InterruptedException when interrupted; no more items are submitted then
     */
    public void run(List<BatchItem> items, Payloads payloads, Consumer<Outcome> onOutcome) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        CountDownLatch finished = new CountDownLatch(items.size());
        ExecutorService outcomes = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "batch-outcomes");
            thread.setDaemon(true);
            return thread;
        });
        Consumer<Outcome> deliver = outcome -> outcomes.execute(() -> {
            try {
                onOutcome.accept(outcome);
            } catch (RuntimeException e) {
                log.warn("handling the outcome of {} failed", outcome.item().input(), e);
            } finally {
                slots.release();
                finished.countDown();
            }
        });
        try {
            for (BatchItem item : items) {
                slots.acquire();
                if (item.problem() != null) {
                    deliver.accept(Outcome.failed(item, item.problem()));
                    continue;
                }
                byte[] payload;
                try {
                    payload = payloads.payload(item);
                } catch (Exception e) {
                    deliver.accept(Outcome.failed(item, e.getMessage() == null ? e.toString() : e.getMessage()));
                    continue;
                }
                submit(item, payload, SERVER_LOSS_RETRIES, deliver);
            }
            finished.await();
        } finally {
            outcomes.shutdown();
        }
    }

    private void submit(BatchItem item, byte[] payload, int retriesLeft, Consumer<Outcome> deliver) {
        try {
            client.submit(JobRequest.of(LEAF_FUNCTION, payload)).result()
                    .orTimeout(jobTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((bytes, error) -> {
                        if (error == null) {
                            deliver.accept(parse(item, bytes));
                        } else if (retriesLeft > 0 && unwrap(error) instanceof GearmanConnectionException) {
                            log.info("resubmitting {}: {}", item.input(), unwrap(error).getMessage());
                            submit(item, payload, retriesLeft - 1, deliver);
                        } else {
                            deliver.accept(Outcome.failed(item, describe(error)));
                        }
                    });
        } catch (RuntimeException e) {
            // A closed client throws at once; the item still needs its outcome, or run() never returns.
            deliver.accept(Outcome.failed(item, describe(e)));
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static Outcome parse(BatchItem item, byte[] bytes) {
        try {
            Payload payload = Payload.parse(bytes);
            return new Outcome(item, JobJson.readResult(payload.json()), payload.blob(), null);
        } catch (ImageJobException e) {
            return Outcome.failed(item, "the worker's answer is not a job result: " + e.getMessage());
        }
    }

    /** The reason a leaf failed, as the user should read it. */
    String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof JobExceptionException e) {
            return e.workerMessage();
        }
        if (cause instanceof JobFailedException) {
            return "the worker failed the job without saying why (WORK_FAIL); see the worker's log";
        }
        if (cause instanceof TimeoutException) {
            return "no result within " + jobTimeout.toSeconds() + " s; are image workers running for the '"
                    + LEAF_FUNCTION + "' function (bin/gearadmin --status)? raise --job-timeout for huge images";
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
