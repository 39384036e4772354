package dev.gearfarm.gearman.client;

/**
 * A job's state as the server reports it for {@code GET_STATUS_UNIQUE}: looked up by unique id alone,
 * across all functions.
 *
 * @param unique      the unique id asked about
 * @param known       whether the server has such a job, queued or running
 * @param running     whether a worker is running it
 * @param numerator   the progress the worker last reported, or 0
 * @param denominator the total the worker last reported, or 0
 * @param clientCount how many foreground clients wait for its result
 */
public record UniqueStatus(String unique, boolean known, boolean running, long numerator, long denominator,
        int clientCount) {
}
