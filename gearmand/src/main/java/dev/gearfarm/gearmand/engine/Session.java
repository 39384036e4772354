package dev.gearfarm.gearmand.engine;

import dev.gearfarm.gearman.protocol.Packet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client, worker or admin connection as the engine sees it.
 *
 * <p>The network layer subclasses it to carry bytes; every field here belongs to the engine thread and
 * is never touched from anywhere else. Replies are buffered during a batch of engine work and handed to
 * the network layer in one {@link #deliver} call per batch, so a burst of replies costs one task.
 */
public abstract class Session {

    private final long id;
    private final String remoteHost;

    String clientId = "-";
    boolean exceptions;
    /** Functions this worker can do, in registration order, with their CAN_DO_TIMEOUT (0 = none). */
    final Map<FunctionQueue, Long> abilities = new LinkedHashMap<>();
    boolean sleeping;
    boolean noopSent;
    /** Jobs this worker holds. */
    final List<Job> running = new ArrayList<>(2);
    /** Foreground jobs this client waits on. */
    final List<Job> waitingOn = new ArrayList<>(2);
    boolean closed;
    /** Handles of the last jobs this worker held that ended without its result (see Engine.workResult). */
    private final String[] recentlyEnded = new String[8];
    private int recentlyEndedNext;

    private List<Object> outbound = new ArrayList<>();
    private boolean closeAfterDelivery;
    boolean touched;

    protected Session(long id, String remoteHost) {
        this.id = id;
        this.remoteHost = remoteHost;
    }

    /** Connection number shown in the {@code workers} admin output. */
    public long id() {
        return id;
    }

    /** The peer's IP address as text. */
    public String remoteHost() {
        return remoteHost;
    }

    /**
     * Sends what the engine produced in one batch: {@link Packet}s and {@link String}s (admin text), in
     * order, followed by a close when {@code close} is true. Called on the engine thread; must not block.
     */
    protected abstract void deliver(List<Object> messages, boolean close);

    void send(Object message) {
        outbound.add(message);
    }

    void closeAfterDelivery() {
        closeAfterDelivery = true;
    }

    boolean hasPending() {
        return !outbound.isEmpty() || closeAfterDelivery;
    }

    void flush() {
        if (closed && !closeAfterDelivery) {
            outbound.clear();
            return;
        }
        List<Object> batch = outbound;
        outbound = new ArrayList<>(Math.max(4, batch.size()));
        boolean close = closeAfterDelivery;
        closeAfterDelivery = false;
        deliver(batch, close);
    }

    void rememberEnded(String handle) {
        recentlyEnded[recentlyEndedNext] = handle;
        recentlyEndedNext = (recentlyEndedNext + 1) % recentlyEnded.length;
    }

    boolean endedRecently(String handle) {
        for (String ended : recentlyEnded) {
            if (handle.equals(ended)) {
                return true;
            }
        }
        return false;
    }

    boolean isWorker() {
        return !abilities.isEmpty();
    }
}
