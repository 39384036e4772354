package dev.gearfarm.gearman.internal;

import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;

/**
 * A packet that expects exactly one reply, and what to do with it. {@link #complete} or {@link #fail} is
 * called exactly once, on the connection's event loop, so an implementation may update session state
 * (such as the client's table of running jobs) before any later packet is read.
 */
public interface Request {

    /** The packet to send. */
    Packet packet();

    /** Whether {@code type} is a reply this request can take ({@code ERROR} is handled separately). */
    boolean accepts(PacketType type);

    /**
     * Whether an {@code ERROR} arriving while this request is the oldest waiting answers it (the default).
     * A request that the server never answers with {@code ERROR}, such as a worker's {@code GRAB_JOB_UNIQ},
     * returns false: an {@code ERROR} then belongs to an earlier packet that expects no reply (a late
     * {@code WORK_COMPLETE}) and goes to the session, and the request keeps waiting for its own reply.
     */
    default boolean answeredByError() {
        return true;
    }

    /** The reply arrived. */
    void complete(Packet reply);

    /** The request was rejected, answered with {@code ERROR}, timed out, or its connection closed. */
    void fail(GearmanException cause);
}
