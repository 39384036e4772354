package dev.gearfarm.gearmand.store;

/**
 * A background job as a store keeps it.
 *
 * @param id        the job's sequence number: unique for the life of the store, it orders replay and
 *                  names the job in removals (handles are {@code prefix:id})
 * @param function  the function name
 * @param unique    the unique id as submitted ({@code -} and empty included)
 * @param priority  0 high, 1 normal, 2 low (C gearmand's numbering)
 * @param whenToRun Unix time in seconds before which the job must not run; 0 runs at once
 * @param reducer   the reducer of a map/reduce submission, or null
 * @param data      the payload; not copied, and never changed after submission
 */
public record StoredJob(long id, String function, String unique, int priority, long whenToRun, String reducer,
        byte[] data) {
    public StoredJob {
        if (priority < 0 || priority > 2) {
            throw new IllegalArgumentException("priority must be 0 (high), 1 (normal) or 2 (low): " + priority);
        }
    }
}
