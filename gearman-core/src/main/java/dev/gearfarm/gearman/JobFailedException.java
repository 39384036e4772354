package dev.gearfarm.gearman;

/**
 * The worker reported {@code WORK_FAIL} for a foreground job. Gearman's failure packet carries no
 * message, so there is nothing more to say than which job failed. A job that threw an exception, when
 * the exceptions option is on, ends with {@link JobExceptionException} instead.
 */
public class JobFailedException extends GearmanException {
    private static final long serialVersionUID = 1L;

    private final String handle;

    public JobFailedException(String handle, String function) {
        super("job " + handle + " (function " + function + ") failed: the worker sent WORK_FAIL");
        this.handle = handle;
    }

    /** The server's job handle. */
    public String handle() {
        return handle;
    }
}
