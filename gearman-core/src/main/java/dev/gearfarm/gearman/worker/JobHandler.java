package dev.gearfarm.gearman.worker;

/**
 * Does the work of one function. Runs on one of the worker's job threads; it may block, and it may send
 * progress through {@link WorkerJob} while it runs.
 *
 * <p>What it does decides what the client gets: returning sends {@code WORK_COMPLETE} with the returned
 * bytes (null counts as empty); throwing {@link WorkFailedException} sends {@code WORK_FAIL}; throwing
 * anything else sends {@code WORK_EXCEPTION} with the exception's message in UTF-8 (its class name when
 * it has none). The worker logs such a failure in one DEBUG line, as an expected answer, except the JDK's
 * own unchecked exceptions (a bug, usually: WARN) and {@link Error}s (ERROR), which keep their stack
 * trace; log your own per-job line if you want failures seen. A thread interrupt means the worker is
 * closing at once and the result will go nowhere.
 */
@FunctionalInterface
public interface JobHandler {

    /** Runs {@code job} and returns its result. */
    byte[] handle(WorkerJob job) throws Exception;
}
