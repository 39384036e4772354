package dev.gearfarm.images;

import java.util.Objects;

/**
 * Why an image job could not be done: the one unchecked exception of this module.
 *
 * <p>Its message goes to the client as the job's {@code WORK_EXCEPTION} text, so it names the input
 * and the fix ("image is 839 MP, over the 50 MP limit; raise --max-pixels"). The {@link Reason} is for
 * metrics and logs.
 */
public class ImageJobException extends RuntimeException {
    /** A coarse cause, stable enough to count failures by. */
    public enum Reason {
        /** The job spec is not valid JSON or breaks a rule of the contract. */
        BAD_SPEC,
        /** The source does not exist (missing file, HTTP 404, no such S3 key or bucket). */
        NOT_FOUND,
        /** The source or destination is refused by policy (outside the roots, private address). */
        FORBIDDEN,
        /** The source could not be reached (DNS, connect, timeout, HTTP 5xx). */
        UNREACHABLE,
        /** The source is bigger than a limit (bytes, pixels, redirects). */
        TOO_LARGE,
        /** The bytes are not an image format we read, or an output format we cannot write. */
        UNSUPPORTED_FORMAT,
        /** The image is truncated, corrupt or hostile. */
        CORRUPT_IMAGE,
        /** Credentials were refused by a store. */
        ACCESS_DENIED,
        /** The result could not be stored (disk full, S3 error). */
        STORE_FAILED,
        /** A bug or an unexpected failure inside the worker. */
        INTERNAL
    }

    private final Reason reason;

    public ImageJobException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ImageJobException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
