package dev.gearfarm.gearman.client;

/**
 * Hears what a worker reports while a foreground job runs. Each method is called on the connection's I/O
 * thread, in the order the packets arrived, and must not block; an exception it throws is logged and
 * ignored. Implement only the methods you need.
 */
public interface JobListener {

    /** The worker sent a chunk of partial results ({@code WORK_DATA}). */
    default void onData(byte[] data) {
    }

    /** The worker sent a warning ({@code WORK_WARNING}). */
    default void onWarning(byte[] data) {
    }

    /** The worker reported progress ({@code WORK_STATUS}), such as 3 of 10. */
    default void onStatus(long numerator, long denominator) {
    }
}
