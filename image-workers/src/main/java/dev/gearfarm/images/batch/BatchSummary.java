package dev.gearfarm.images.batch;

import java.util.List;

/**
 * What a batch did (the "reduce" step's result): counts, output bytes and the failures with reasons.
 *
 * @param total             inputs in the batch
 * @param succeeded         inputs whose outputs were all made
 * @param failed            inputs that could not be done
 * @param skipped           inputs whose outputs already existed
 * @param outputs           output files or objects written
 * @param bytes             their total size
 * @param failures          the failures, in the order they happened, at most {@link BatchTally#DEFAULT_MAX_LISTED}
 * @param failuresNotListed failures left out of {@code failures} to keep the summary bounded
 * @param elapsedMillis     wall time from the start of the batch
 */
public record BatchSummary(long total, long succeeded, long failed, long skipped, long outputs, long bytes,
        List<Failure> failures, long failuresNotListed, long elapsedMillis) {

    public BatchSummary {
        failures = List.copyOf(failures);
    }

    /** One input that failed, and why (the worker's message, which names the problem and the fix). */
    public record Failure(String input, String error) {}

    /** Inputs finished one way or another. */
    public long done() {
        return succeeded + failed + skipped;
    }

    /** One line for people: {@code 120 images: 117 made (340 outputs, 12.3 MB), 2 skipped, 1 failed in 8.2 s}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d image%s: %d made (%d output%s, %s), %d skipped, %d failed in %.1f s",
                total, total == 1 ? "" : "s", succeeded, outputs, outputs == 1 ? "" : "s", Units.bytes(bytes), skipped,
                failed, elapsedMillis / 1000.0);
    }
}
