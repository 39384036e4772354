package dev.gearfarm.gearmand.store;

import java.util.List;

/**
 * Durable storage of background jobs. Implementations block, and are called by one thread at a time:
 * {@link #replay} by the thread that starts the server, before it serves; {@link #write} and
 * {@link #close} by the {@link StoreWriter}'s thread only.
 */
public interface JobStore extends AutoCloseable {

    /** What the store is and where, for log lines and error replies ("journal /var/lib/gearmand"). */
    String describe();

    /** Opens the store and returns every job it holds, in id order. Called once, before any write. */
    List<StoredJob> replay();

    /**
     * Stores {@code adds} and forgets the jobs with ids {@code removes}, as one durable unit when the
     * store allows it: when this returns, all of it survives a crash of the process or the machine. A
     * removal of an id the store does not hold is not an error.
     *
     * @throws StoreException when the batch could not be made durable; the store stays usable, and the
     *                        next call tries again (reconnecting, for a database)
     */
    void write(List<StoredJob> adds, List<Long> removes);

    /** Releases files or connections. */
    @Override
    void close();
}
