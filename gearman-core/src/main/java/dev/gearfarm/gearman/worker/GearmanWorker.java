package dev.gearfarm.gearman.worker;

import dev.gearfarm.gearman.internal.ConnectionSettings;
import dev.gearfarm.gearman.internal.Failures;
import dev.gearfarm.gearman.internal.ReconnectingConnection;
import dev.gearfarm.gearman.internal.ServerAddress;
import dev.gearfarm.gearman.internal.Transport;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import dev.gearfarm.gearman.protocol.ProtocolLimits;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Gearman worker: registers functions with every configured job server and runs the jobs they hand
 * out, at most {@link WorkerOptions#concurrency()} at once across all servers.
 *
 * <p>On each connection it sends {@code SET_CLIENT_ID} (when set), one {@code CAN_DO} or {@code
 * CAN_DO_TIMEOUT} per function, then asks for jobs with {@code GRAB_JOB_UNIQ} (so {@link
 * WorkerJob#unique()} is known), but only while a slot is free. When a server has no job it sends {@code
 * PRE_SLEEP} and waits for the server's {@code NOOP}; nothing polls. It sends no {@code OPTION_REQ
 * exceptions}: that option is about what a <em>client</em> connection receives, and servers forward a
 * worker's {@code WORK_EXCEPTION} either way (libgearman's PHP worker sends it; it changes nothing).
 *
 * <p>A dropped connection is reconnected in the background with back-off and its functions registered
 * again. A job running when its connection drops still runs to the end, but its result goes nowhere: the
 * server has already given the job back to its queue.
 *
 * <p>Threads: Netty I/O threads own the connections; handlers run on the worker's own pool of {@code
 * concurrency} threads and may block. {@link #close()} from a handler would wait for itself; don't.
 *
 * <pre>{@code
 * try (GearmanWorker worker = GearmanWorker.create(WorkerOptions.builder().servers("gm1:4730").build())) {
 *     worker.register("reverse", job -> new StringBuilder(job.payloadAsString()).reverse().toString()
 *             .getBytes(StandardCharsets.UTF_8));
 *     awaitShutdownSignal();
 * } // close(): no new jobs; running ones finish and send their results
 * }</pre>
 */
public final class GearmanWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GearmanWorker.class);
    /** How long closing waits for connections to close and threads to stop. */
    private static final long CLOSE_TIMEOUT_SECONDS = 5;
    /** Longest function name the C gearmand accepts, in bytes. */
    private static final int MAX_FUNCTION_LENGTH = 512;
    /** Requests one connection may have waiting: a session grabs one job at a time. */
    private static final int MAX_PENDING = 4;

    /** A registered function; {@code timeoutSeconds} 0 for none. */
    record Registration(String function, long timeoutSeconds, JobHandler handler) {
    }

    private final WorkerOptions options;
    private final JobSlots slots;
    private final EventLoopGroup group;
    private final ExecutorService jobs;
    private final List<ReconnectingConnection<WorkerSession>> servers;
    private final String threadName;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    // Guarded by this.
    private final Map<String, Registration> functions = new LinkedHashMap<>();
    private final Set<WorkerSession> sessions = new LinkedHashSet<>();

    private GearmanWorker(WorkerOptions options) {
        this.options = options;
        this.slots = new JobSlots(options.concurrency());
        String name = options.clientId().isEmpty() ? "gearman-worker" : options.clientId();
        this.threadName = name;
        int threads = Math.min(options.servers().size(), Runtime.getRuntime().availableProcessors());
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                Transport.ioHandlerFactory());
        this.jobs = Executors.newFixedThreadPool(options.concurrency(), new DefaultThreadFactory(name + "-job", true));
        ConnectionSettings settings = new ConnectionSettings(options.connectTimeout(), options.responseTimeout(),
                MAX_PENDING, ProtocolLimits.DEFAULT);
        List<ReconnectingConnection<WorkerSession>> connections = new ArrayList<>();
        for (String server : options.servers()) {
            connections.add(new ReconnectingConnection<>(group, ServerAddress.parse(server), settings,
                    connection -> new WorkerSession(connection, this), options.reconnectDelayMin(),
                    options.reconnectDelayMax()));
        }
        this.servers = List.copyOf(connections);
    }

    /**
     * A worker with {@code options}; it starts connecting to every server at once, in the background, and
     * asks for jobs as soon as a function is registered.
     */
    public static GearmanWorker create(WorkerOptions options) {
        return new GearmanWorker(options);
    }

    /** A worker with the default options for {@code servers} ({@code host:port} each). */
    public static GearmanWorker create(String... servers) {
        return create(WorkerOptions.builder().servers(servers).build());
    }

    /** The options this worker was created with. */
    public WorkerOptions options() {
        return options;
    }

    /** Registers {@code handler} for {@code function} with every server, now and after each reconnect. */
    public GearmanWorker register(String function, JobHandler handler) {
        return register(function, null, handler);
    }

    /**
     * Registers {@code handler} for {@code function} with a time limit, sent as {@code CAN_DO_TIMEOUT} in
     * whole seconds. The server enforces it: ours (like the Perl server and the PROTOCOL document) fails a
     * job that overruns with {@code WORK_FAIL} to its clients and refuses the late result; C gearmand
     * 1.1.20 reads the number as <em>milliseconds</em> and gives the job to another worker instead. The
     * handler is not interrupted; it keeps its slot until it returns.
     *
     * @param timeout whole seconds, at least one; null for no limit
     * @throws IllegalStateException when {@code function} is already registered or the worker is closed
     */
    public GearmanWorker register(String function, Duration timeout, JobHandler handler) {
        checkFunction(function);
        if (handler == null) {
            throw new IllegalArgumentException("handler for " + function + " is null");
        }
        long seconds = 0;
        if (timeout != null) {
            if (timeout.isNegative() || timeout.isZero() || timeout.toNanosPart() != 0) {
                throw new IllegalArgumentException("timeout for " + function + " is " + timeout
                        + "; CAN_DO_TIMEOUT counts whole seconds, so give at least 1 s and no fraction");
            }
            seconds = timeout.getSeconds();
        }
        Registration registration = new Registration(function, seconds, handler);
        List<WorkerSession> live;
        synchronized (this) {
            if (closing.get()) {
                throw new IllegalStateException("the Gearman worker is closed");
            }
            if (functions.putIfAbsent(function, registration) != null) {
                throw new IllegalStateException("function " + function + " is already registered");
            }
            live = List.copyOf(sessions);
        }
        live.forEach(session -> session.register(registration));
        return this;
    }

    private static void checkFunction(String function) {
        if (function == null || function.isEmpty()) {
            throw new IllegalArgumentException("function name is empty");
        }
        if (function.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("function '" + function.replace("\0", "\\0")
                    + "' contains a NUL byte, which separates fields on the wire");
        }
        int length = function.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_FUNCTION_LENGTH) {
            throw new IllegalArgumentException("function name is " + length + " bytes, over the "
                    + MAX_FUNCTION_LENGTH + "-byte limit of gearmand");
        }
    }

    /** How many of the configured job servers this worker has an open, established connection to now. */
    public int connectedServers() {
        return (int) servers.stream().filter(ReconnectingConnection::isUp).count();
    }

    /** Jobs running now, plus requests for a job waiting for their answer. */
    public int busy() {
        return slots.busy();
    }

    JobSlots slots() {
        return slots;
    }

    /** Whether sessions should ask for jobs: not closing, and something to ask for. */
    synchronized boolean wantsJobs() {
        return !closing.get() && !functions.isEmpty();
    }

    /** A session connected: it hears of later registrations, and registers these now. */
    synchronized List<Registration> attach(WorkerSession session) {
        sessions.add(session);
        return List.copyOf(functions.values());
    }

    /** A session's connection closed. */
    void detach(WorkerSession session) {
        synchronized (this) {
            sessions.remove(session);
        }
        slots.forget(session);
    }

    /** Runs {@code job} on a job thread; the caller has taken a slot for it, which this gives back. */
    void run(WorkerJob job) {
        Registration registration;
        synchronized (this) {
            registration = functions.get(job.function());
        }
        if (registration == null) {
            log.warn("the server assigned job {} of {}, which this worker never registered; failing it",
                    job.handle(), job.function());
            job.end(Packet.request(PacketType.WORK_FAIL, job.handle()));
            slots.release();
            return;
        }
        try {
            jobs.execute(() -> execute(registration.handler(), job));
        } catch (RejectedExecutionException closedNow) {
            // closeNow(): the connection closes too, and the server requeues the job.
            slots.release();
        }
    }

    private void execute(JobHandler handler, WorkerJob job) {
        Packet result;
        try {
            byte[] data = handler.handle(job);
            result = Packet.request(PacketType.WORK_COMPLETE, job.handle(), data == null ? new byte[0] : data);
        } catch (WorkFailedException e) {
            log.debug("job {} of {} failed: {}", job.handle(), job.function(), e.getMessage());
            result = Packet.request(PacketType.WORK_FAIL, job.handle());
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            logFailure(job, e);
            result = Packet.request(PacketType.WORK_EXCEPTION, job.handle(),
                    Failures.describe(e).getBytes(StandardCharsets.UTF_8));
        }
        try {
            job.end(result);
        } catch (RejectedExecutionException closedNow) {
            // closeNow() stopped the I/O threads; the server gives the job to another worker.
            log.debug("result of job {} not sent: the worker was closed", job.handle());
        } finally {
            slots.release();
        }
    }

    /**
     * Logs a handler's throwable. A deliberate job failure (a checked exception, or an unchecked one of the
     * handler's own type) is an ordinary answer, so it gets one DEBUG line with its message: handlers log
     * their own per-job line, and a stack trace per bad input flooded the logs. The JDK's own unchecked
     * exceptions (NullPointerException, IllegalStateException, ...) usually mean a bug, so they keep their
     * stack trace at WARN, and an {@link Error} at ERROR.
     */
    private static void logFailure(WorkerJob job, Throwable e) {
        if (e instanceof Error) {
            log.error("job {} of {} threw; sending WORK_EXCEPTION", job.handle(), job.function(), e);
        } else if (isUnexpected(e)) {
            log.warn("job {} of {} threw; sending WORK_EXCEPTION", job.handle(), job.function(), e);
        } else {
            log.debug("job {} of {} failed; sending WORK_EXCEPTION: {}", job.handle(), job.function(),
                    Failures.describe(e));
        }
    }

    /** An unchecked exception declared by the JDK itself (java.*, javax.*, jdk.*, sun.*): likely a bug. */
    static boolean isUnexpected(Throwable e) {
        if (!(e instanceof RuntimeException)) {
            return e instanceof Error;
        }
        String name = e.getClass().getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.");
    }

    /**
     * Graceful shutdown: asks for no more jobs, waits up to {@link WorkerOptions#shutdownTimeout()} for the
     * running ones to finish and send their results, then disconnects. Jobs still running after that are
     * interrupted, as by {@link #closeNow()}. Idempotent; every call waits for the shutdown to finish.
     */
    @Override
    public void close() {
        closeAsync().join();
    }

    /**
     * Starts a graceful shutdown, as {@link #close()}, without waiting for it: no job is asked for once
     * this returns, so a handler may call it to make its job the last. The future completes when the
     * worker has disconnected.
     */
    public CompletableFuture<Void> closeAsync() {
        if (!closing.compareAndSet(false, true)) {
            return terminated.copy();
        }
        Thread closer = new Thread(() -> {
            boolean idle;
            try {
                idle = slots.awaitIdle(options.shutdownTimeout().toNanos());
            } catch (InterruptedException e) {
                idle = false;
            }
            if (!idle) {
                log.warn("{} job(s) still running after {}; interrupting them", slots.busy(),
                        options.shutdownTimeout());
            }
            shutdown(!idle);
        }, threadName + "-close");
        closer.start();
        return terminated.copy();
    }

    /**
     * Disconnects at once and interrupts running handlers; their results are not sent, and the servers
     * give their jobs to other workers. Idempotent.
     */
    public void closeNow() {
        if (closing.compareAndSet(false, true)) {
            shutdown(true);
        } else {
            // A graceful close may be waiting for these; interrupted, they finish sooner.
            jobs.shutdownNow();
            terminated.join();
        }
    }

    private void shutdown(boolean interrupt) {
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (ReconnectingConnection<WorkerSession> server : servers) {
            closed.add(server.closeAsync());
        }
        if (interrupt) {
            jobs.shutdownNow();
        } else {
            jobs.shutdown();
        }
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Shut the threads down regardless; whatever did not close is closed with them.
        }
        group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(
                CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        terminated.complete(null);
    }
}
