package dev.gearfarm.gearman;

import java.nio.charset.StandardCharsets;

/**
 * The worker reported {@code WORK_EXCEPTION} for a foreground job; the message carries the worker's
 * exception text. Only sent to clients that enabled the exceptions option (the default).
 */
public class JobExceptionException extends GearmanException {
    private static final long serialVersionUID = 1L;

    private final String handle;
    private final transient byte[] data;

    public JobExceptionException(String handle, String function, byte[] data) {
        super("job " + handle + " (function " + function + ") threw: " + new String(data, StandardCharsets.UTF_8));
        this.handle = handle;
        this.data = data.clone();
    }

    /** The server's job handle. */
    public String handle() {
        return handle;
    }

    /** The worker's exception data as sent, which is usually, but not necessarily, UTF-8 text. */
    public byte[] data() {
        return data == null ? new byte[0] : data.clone();
    }

    /** The worker's exception data decoded as UTF-8. */
    public String workerMessage() {
        return new String(data(), StandardCharsets.UTF_8);
    }
}
