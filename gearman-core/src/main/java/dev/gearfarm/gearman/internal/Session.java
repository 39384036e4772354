package dev.gearfarm.gearman.internal;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.protocol.Packet;
import java.util.concurrent.CompletableFuture;

/**
 * The client's or worker's side of one connection: it receives the packets that answer no request
 * ({@code WORK_*} for a client, {@code NOOP} for a worker) and hears when the connection closes. Every
 * callback runs on the connection's event loop and must not block.
 */
public abstract class Session {

    private final GearmanConnection connection;

    protected Session(GearmanConnection connection) {
        this.connection = connection;
    }

    /** The connection this session lives on. */
    public final GearmanConnection connection() {
        return connection;
    }

    /**
     * Runs once after the TCP connection is made, before the session is handed out: for example
     * {@code OPTION_REQ exceptions}, or a worker's {@code CAN_DO}s. A failed future closes the connection.
     */
    protected CompletableFuture<Void> handshake() {
        return CompletableFuture.completedFuture(null);
    }

    /** A packet that is not the reply to a request. */
    protected abstract void onPacket(Packet packet);

    /** The connection closed; {@code cause} names the server and the reason. Called once. */
    protected abstract void onClose(GearmanConnectionException cause);
}
