package dev.gearfarm.gearman.worker;

import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import java.nio.charset.StandardCharsets;

/**
 * A job handed to a {@link JobHandler}: what to do, and a way to report progress to the clients waiting
 * for it. The progress methods may be called from any thread while the handler runs; after the handler
 * has returned or thrown they throw {@link IllegalStateException}, since the job has ended.
 *
 * <p>If the connection to the job's server drops while the job runs, progress and the result go nowhere:
 * the server gives the job to another worker.
 */
public final class WorkerJob {
    private final WorkerSession session;
    private final String handle;
    private final String function;
    private final String unique;
    private final byte[] payload;
    private volatile boolean ended;

    WorkerJob(WorkerSession session, String handle, String function, String unique, byte[] payload) {
        this.session = session;
        this.handle = handle;
        this.function = function;
        this.unique = unique;
        this.payload = payload;
    }

    /** The server's job handle, such as {@code H:host:42}. */
    public String handle() {
        return handle;
    }

    /** The function the job was submitted to. */
    public String function() {
        return function;
    }

    /** The unique id the client gave (UTF-8), or empty. */
    public String unique() {
        return unique;
    }

    /** The job's data. The array is the worker's own: the handler may keep or change it. */
    public byte[] payload() {
        return payload;
    }

    /** The job's data decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Sends {@code WORK_DATA}: a chunk of partial result the client receives as it comes. */
    public void sendData(byte[] data) {
        send(PacketType.WORK_DATA, data);
    }

    /** Sends {@code WORK_WARNING}: a message the client receives without the job ending. */
    public void sendWarning(byte[] warning) {
        send(PacketType.WORK_WARNING, warning);
    }

    /** Sends {@code WORK_STATUS}: {@code numerator} of {@code denominator} done, shown by status queries. */
    public void sendStatus(long numerator, long denominator) {
        if (numerator < 0 || denominator < 0) {
            throw new IllegalArgumentException("status must not be negative: " + numerator + "/" + denominator);
        }
        checkRunning();
        session.connection().send(Packet.request(PacketType.WORK_STATUS, handle, Long.toString(numerator),
                Long.toString(denominator)));
    }

    private void send(PacketType type, byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException(type + " data must not be null");
        }
        checkRunning();
        session.connection().send(Packet.request(type, handle, data));
    }

    private void checkRunning() {
        if (ended) {
            throw new IllegalStateException("job " + handle + " (function " + function
                    + ") has ended; progress can only be sent while its handler runs");
        }
    }

    /** Ends the job with {@code result}, one of {@code WORK_COMPLETE}, {@code WORK_FAIL}, {@code WORK_EXCEPTION}. */
    void end(Packet result) {
        ended = true;
        session.connection().send(result);
    }
}
