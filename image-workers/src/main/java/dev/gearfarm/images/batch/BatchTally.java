package dev.gearfarm.images.batch;

import dev.gearfarm.images.spec.JobResult;
import java.util.ArrayList;
import java.util.List;

/** Adds up leaf outcomes into a {@link BatchSummary}; thread-safe, and bounded in the failures it keeps. */
public final class BatchTally {
    /** Failures listed in a summary; more are only counted. */
    public static final int DEFAULT_MAX_LISTED = 1000;

    private final long total;
    private final int maxListed;
    private long succeeded;
    private long failed;
    private long skipped;
    private long outputs;
    private long bytes;
    private final List<BatchSummary.Failure> failures = new ArrayList<>();

    public BatchTally(long total) {
        this(total, DEFAULT_MAX_LISTED);
    }

    public BatchTally(long total, int maxListed) {
        this.total = total;
        this.maxListed = maxListed;
    }

    public synchronized void skipped() {
        skipped++;
    }

    public synchronized void succeeded(JobResult result) {
        succeeded++;
        for (JobResult.OutputResult output : result.outputs()) {
            outputs++;
            bytes += output.bytes();
        }
    }

    public synchronized void failed(String input, String error) {
        failed++;
        if (failures.size() < maxListed) {
            failures.add(new BatchSummary.Failure(input, error));
        }
    }

    /** Inputs finished so far, the numerator of the batch's progress. */
    public synchronized long done() {
        return succeeded + failed + skipped;
    }

    public synchronized long failedCount() {
        return failed;
    }

    public long total() {
        return total;
    }

    public synchronized BatchSummary summary(long elapsedMillis) {
        return new BatchSummary(total, succeeded, failed, skipped, outputs, bytes, failures,
                failed - failures.size(), elapsedMillis);
    }
}
