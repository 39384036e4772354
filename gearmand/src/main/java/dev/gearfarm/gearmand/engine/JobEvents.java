package dev.gearfarm.gearmand.engine;

/**
 * What happened to jobs, told as it happens, for metrics. Called on the engine thread only, once per
 * event, so an implementation must be cheap and must not block; it needs no locking of its own state.
 */
public interface JobEvents {
    /** Tells nobody: the engine's default. */
    JobEvents NONE = new JobEvents() {
    };

    /** How a job left the server. */
    enum Outcome {
        /** Its worker sent WORK_COMPLETE. */
        COMPLETED,
        /** Its worker sent WORK_FAIL. */
        FAILED,
        /** Its worker sent WORK_EXCEPTION. */
        EXCEPTION,
        /** Its worker overran the CAN_DO_TIMEOUT it registered with. */
        TIMED_OUT,
        /** Its workers disconnected while holding it as often as --job-retries allows. */
        RETRIES_EXHAUSTED,
        /** An administrator cancelled it before a worker took it. */
        CANCELLED
    }

    /** A new job was created (a submission that coalesced with an existing job is not one). */
    default void submitted(String function, boolean background) {
    }

    /** A worker took the job; {@code waitNanos} since it was submitted (or replayed at start-up). */
    default void started(String function, long waitNanos) {
    }

    /** The job's worker went away and the job was queued again. */
    default void retried(String function) {
    }

    /** The job ended; {@code latencyNanos} since it was submitted (or replayed at start-up). */
    default void ended(String function, Outcome outcome, long latencyNanos) {
    }
}
