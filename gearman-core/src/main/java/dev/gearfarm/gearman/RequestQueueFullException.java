package dev.gearfarm.gearman;

/**
 * A connection already has its maximum number of requests waiting for a reply, so a new one was
 * rejected at once rather than queued without bound. Wait for some to finish, or raise
 * {@code maxPendingPerConnection}.
 */
public class RequestQueueFullException extends GearmanException {
    private static final long serialVersionUID = 1L;

    public RequestQueueFullException(String message) {
        super(message);
    }
}
