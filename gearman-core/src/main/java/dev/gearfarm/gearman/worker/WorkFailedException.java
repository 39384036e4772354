package dev.gearfarm.gearman.worker;

import dev.gearfarm.gearman.GearmanException;

/**
 * Thrown by a {@link JobHandler} to end its job with {@code WORK_FAIL}: the job cannot be done and there
 * is nothing more to say. The packet carries no message, so the message here only goes to the worker's
 * log; to tell the client why, throw any other exception, which becomes {@code WORK_EXCEPTION}.
 */
public class WorkFailedException extends GearmanException {
    private static final long serialVersionUID = 1L;

    public WorkFailedException(String message) {
        super(message);
    }

    public WorkFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
