package dev.gearfarm.gearman.client;

/**
 * A job's state as the server reports it for {@code GET_STATUS}. An unknown handle (a finished job, or one
 * that never existed) is reported as not known, not running, 0 of 0.
 *
 * @param handle      the job handle asked about
 * @param known       whether the server has the job, queued or running
 * @param running     whether a worker is running it
 * @param numerator   the progress the worker last reported, or 0
 * @param denominator the total the worker last reported, or 0
 */
public record JobStatus(String handle, boolean known, boolean running, long numerator, long denominator) {
}
