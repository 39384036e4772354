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

    /** The reply arrived. */
    void complete(Packet reply);

    /** The request was rejected, answered with {@code ERROR}, timed out, or its connection closed. */
    void fail(GearmanException cause);
}
