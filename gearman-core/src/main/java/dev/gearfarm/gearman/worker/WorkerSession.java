package dev.gearfarm.gearman.worker;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.internal.GearmanConnection;
import dev.gearfarm.gearman.internal.Request;
import dev.gearfarm.gearman.internal.Session;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of one connection: registers the functions, then asks for jobs one at a time while
 * the worker has a free slot, and sleeps ({@code PRE_SLEEP}) when the server has none until it sends
 * {@code NOOP}.
 *
 * <p>Its state is touched only on the connection's event loop; other threads reach it through {@link
 * #wake()} and {@link #register}, which hop onto the loop.
 *
 * <p>{@code ERROR} rule: a worker's only request is {@code GRAB_JOB_UNIQ}, which servers answer with
 * {@code NO_JOB} or {@code JOB_ASSIGN_UNIQ}, never {@code ERROR}. So an {@code ERROR} never answers the
 * grab, even when one is pending: it is about a packet that expects no reply, typically a result for a
 * job the server no longer gives this worker ({@code JOB_NOT_FOUND} after a {@code CAN_DO_TIMEOUT}), and
 * is logged. A server that did answer a grab with {@code ERROR} would leave the grab unanswered until the
 * response timeout closes the connection, which is then reconnected.
 */
final class WorkerSession extends Session {
    private static final Logger log = LoggerFactory.getLogger(WorkerSession.class);

    private enum State {
        /** Not asking: just connected, just got a job, woken by NOOP, or waiting for a free slot. */
        IDLE,
        /** A GRAB_JOB_UNIQ is waiting for its answer. */
        GRABBING,
        /** PRE_SLEEP sent; waiting for NOOP. */
        SLEEPING
    }

    private final GearmanWorker worker;
    private State state = State.IDLE;
    /** A function was registered while a grab was pending: ask again rather than sleep on its NO_JOB. */
    private boolean askAgain;
    private boolean closed;

    WorkerSession(GearmanConnection connection, GearmanWorker worker) {
        super(connection);
        this.worker = worker;
    }

    /**
     * Sends {@code SET_CLIENT_ID} and a {@code CAN_DO} per function, then starts asking for jobs. The
     * server answers none of these, so the session is ready as soon as they are written.
     */
    @Override
    protected CompletableFuture<Void> handshake() {
        String clientId = worker.options().clientId();
        if (!clientId.isEmpty()) {
            connection().send(Packet.request(PacketType.SET_CLIENT_ID, clientId));
        }
        onLoop(() -> {
            for (GearmanWorker.Registration registration : worker.attach(this)) {
                canDo(registration);
            }
            grab();
        });
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Registers a function added after this session connected and asks for a job, since one may be
     * queued for it: at once when idle or asleep (the server sends no NOOP for a new CAN_DO), and again
     * after a pending grab that the server answered before it saw the CAN_DO.
     */
    void register(GearmanWorker.Registration registration) {
        onLoop(() -> {
            canDo(registration);
            if (state == State.SLEEPING) {
                state = State.IDLE;
            } else if (state == State.GRABBING) {
                askAgain = true;
            }
            grab();
        });
    }

    /** A slot was freed: asks for a job if idle. */
    void wake() {
        try {
            onLoop(this::grab);
        } catch (RejectedExecutionException closing) {
            // The worker's I/O threads have stopped: there is nothing left to ask.
        }
    }

    private void onLoop(Runnable task) {
        if (connection().eventLoop().inEventLoop()) {
            task.run();
        } else {
            connection().eventLoop().execute(task);
        }
    }

    private void canDo(GearmanWorker.Registration registration) {
        byte[] function = registration.function().getBytes(StandardCharsets.UTF_8);
        connection().send(registration.timeoutSeconds() == 0 ? Packet.request(PacketType.CAN_DO, function)
                : Packet.request(PacketType.CAN_DO_TIMEOUT, function, Long.toString(registration.timeoutSeconds())));
    }

    private void grab() {
        if (closed || state != State.IDLE || !worker.wantsJobs() || !worker.slots().acquire(this)) {
            return;
        }
        state = State.GRABBING;
        connection().request(new Request() {
            private final Packet packet = Packet.request(PacketType.GRAB_JOB_UNIQ);

            @Override
            public Packet packet() {
                return packet;
            }

            @Override
            public boolean accepts(PacketType type) {
                return type == PacketType.NO_JOB || type == PacketType.JOB_ASSIGN_UNIQ;
            }

            @Override
            public boolean answeredByError() {
                return false;
            }

            @Override
            public void complete(Packet reply) {
                grabbed(reply);
            }

            @Override
            public void fail(GearmanException cause) {
                state = State.IDLE;
                worker.slots().release();
            }
        });
    }

    private void grabbed(Packet reply) {
        state = State.IDLE;
        if (reply.type() == PacketType.NO_JOB) {
            worker.slots().release();
            if (askAgain) {
                askAgain = false;
                grab();
            } else if (!closed && worker.wantsJobs()) {
                state = State.SLEEPING;
                connection().send(Packet.request(PacketType.PRE_SLEEP));
            }
            return;
        }
        // JOB_ASSIGN_UNIQ handle, function, unique, payload: the slot taken for the grab is the job's now.
        worker.run(new WorkerJob(this, reply.argString(0), new String(reply.arg(1), StandardCharsets.UTF_8),
                new String(reply.arg(2), StandardCharsets.UTF_8), reply.arg(3)));
        grab();
    }

    @Override
    protected void onPacket(Packet packet) {
        switch (packet.type()) {
            case NOOP -> {
                if (state == State.SLEEPING) {
                    state = State.IDLE;
                    grab();
                }
            }
            case ERROR -> log.warn("{} sent ERROR {} ({}) for a packet of this worker; carrying on",
                    connection().server(), packet.argString(0), packet.argString(1));
            default -> log.debug("{}: ignoring unexpected {}", connection().server(), packet);
        }
    }

    @Override
    protected void onClose(GearmanConnectionException cause) {
        closed = true;
        worker.detach(this);
        log.debug("worker connection closed: {}", cause.getMessage());
    }
}
