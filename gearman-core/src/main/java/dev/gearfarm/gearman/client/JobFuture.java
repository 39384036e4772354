package dev.gearfarm.gearman.client;

import dev.gearfarm.gearman.GearmanException;
import java.util.concurrent.CompletableFuture;

/**
 * A submitted foreground job: {@link #handle()} completes when the server has queued it, {@link #result()}
 * when the worker has finished it.
 *
 * <p>{@code result()} fails with {@link dev.gearfarm.gearman.JobFailedException} on {@code WORK_FAIL},
 * {@link dev.gearfarm.gearman.JobExceptionException} on {@code WORK_EXCEPTION}, and
 * {@link dev.gearfarm.gearman.GearmanConnectionException} when the connection to its server drops first;
 * if the job could not be submitted, both futures fail with the same exception. Both complete on an I/O
 * thread: do not block in their callbacks. Gearman cannot cancel a job, so cancelling a future only stops
 * this caller from waiting.
 */
public final class JobFuture {
    private final JobRequest request;
    private final JobListener listener;
    private final CompletableFuture<String> handle = new CompletableFuture<>();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    JobFuture(JobRequest request, JobListener listener) {
        this.request = request;
        this.listener = listener;
    }

    /** What was submitted. */
    public JobRequest request() {
        return request;
    }

    /** The server's job handle, once the server has answered {@code JOB_CREATED}. */
    public CompletableFuture<String> handle() {
        return handle;
    }

    /** The worker's result ({@code WORK_COMPLETE}). */
    public CompletableFuture<byte[]> result() {
        return result;
    }

    JobListener listener() {
        return listener;
    }

    void created(String jobHandle) {
        handle.complete(jobHandle);
    }

    void complete(byte[] data) {
        result.complete(data);
    }

    void fail(GearmanException cause) {
        handle.completeExceptionally(cause);
        result.completeExceptionally(cause);
    }
}
