package dev.gearfarm.gearman.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * What to run: a function name, the payload handed to the worker, and how to queue it. Whether the caller
 * waits for the result is not part of the request but of the call: {@link GearmanClient#submit} or
 * {@link GearmanClient#submitBackground}.
 *
 * <p>The payload array is not copied, so large payloads cost nothing extra; do not change it after
 * building the request.
 *
 * @param function the function a worker registered, 1-512 bytes, no NUL
 * @param payload  the job data; may be empty
 * @param unique   the unique id, up to 64 bytes, no NUL; empty for none. Submissions of the same function
 *                 and unique that overlap are coalesced by the server into one job, and the client sends
 *                 them to the same server. {@code "-"} makes the server use the payload as the unique id.
 * @param priority the queue priority
 * @param runAt    when set, a scheduled background job ({@code SUBMIT_JOB_EPOCH}) that the server holds
 *                 until this time (whole seconds); scheduled jobs always have normal priority
 */
public record JobRequest(String function, byte[] payload, String unique, Priority priority, Instant runAt) {

    /** Longest function name the C gearmand accepts, in bytes. */
    public static final int MAX_FUNCTION_LENGTH = 512;
    /** Longest unique id the C gearmand accepts, in bytes. */
    public static final int MAX_UNIQUE_LENGTH = 64;

    private static final byte[] EMPTY = new byte[0];

    public JobRequest {
        checkName("function", function, 1, MAX_FUNCTION_LENGTH);
        if (payload == null) {
            payload = EMPTY;
        }
        if (unique == null) {
            unique = "";
        }
        checkName("unique", unique, 0, MAX_UNIQUE_LENGTH);
        if (priority == null) {
            priority = Priority.NORMAL;
        }
        if (runAt != null && priority != Priority.NORMAL) {
            throw new IllegalArgumentException("a scheduled job (runAt " + runAt + ") cannot have priority "
                    + priority + ": SUBMIT_JOB_EPOCH has no priority field; drop one of the two");
        }
        if (runAt != null && runAt.getEpochSecond() < 0) {
            throw new IllegalArgumentException("runAt must be after 1970: " + runAt);
        }
    }

    /** A normal-priority request without a unique id. */
    public static JobRequest of(String function, byte[] payload) {
        return new JobRequest(function, payload, "", Priority.NORMAL, null);
    }

    /** A normal-priority request without a unique id, with the payload encoded as UTF-8. */
    public static JobRequest of(String function, String payload) {
        return of(function, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A builder for a request to run {@code function}. */
    public static Builder builder(String function) {
        return new Builder(function);
    }

    /** A builder holding this request's values. */
    public Builder newBuilder() {
        return new Builder(function).payload(payload).unique(unique).priority(priority).runAt(runAt);
    }

    private static void checkName(String what, String value, int min, int max) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " '" + value.replace("\0", "\\0")
                    + "' contains a NUL byte, which separates fields on the wire");
        }
        int length = value.getBytes(StandardCharsets.UTF_8).length;
        if (length < min || length > max) {
            throw new IllegalArgumentException(what + " '" + value + "' is " + length + " bytes; it must be "
                    + min + "-" + max);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobRequest that && function.equals(that.function)
                && Arrays.equals(payload, that.payload) && unique.equals(that.unique) && priority == that.priority
                && java.util.Objects.equals(runAt, that.runAt);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(function, Arrays.hashCode(payload), unique, priority, runAt);
    }

    @Override
    public String toString() {
        return "JobRequest[function=" + function + ", payload=" + payload.length + " bytes, unique=" + unique
                + ", priority=" + priority + (runAt == null ? "" : ", runAt=" + runAt) + "]";
    }

    /** Builds a {@link JobRequest}; values are checked by {@link #build()}. */
    public static final class Builder {
        private final String function;
        private byte[] payload = EMPTY;
        private String unique = "";
        private Priority priority = Priority.NORMAL;
        private Instant runAt;

        private Builder(String function) {
            this.function = function;
        }

        /** The job data, not copied. */
        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        /** The job data as UTF-8 text. */
        public Builder payload(String payload) {
            this.payload = payload.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** The unique id; empty for none. */
        public Builder unique(String unique) {
            this.unique = unique;
            return this;
        }

        /** The queue priority. */
        public Builder priority(Priority priority) {
            this.priority = priority;
            return this;
        }

        /** Hold the job until this time; background only. */
        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        /** The request; throws {@link IllegalArgumentException} naming any bad value. */
        public JobRequest build() {
            return new JobRequest(function, payload, unique, priority, runAt);
        }
    }
}
