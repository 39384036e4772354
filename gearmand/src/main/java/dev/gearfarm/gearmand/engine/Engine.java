package dev.gearfarm.gearmand.engine;

import static dev.gearfarm.gearman.protocol.PacketType.ERROR;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_CREATED;
import static dev.gearfarm.gearman.protocol.PacketType.NOOP;

import dev.gearfarm.gearman.protocol.AdminLine;
import dev.gearfarm.gearman.protocol.DecodeFailure;
import dev.gearfarm.gearman.protocol.Magic;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import dev.gearfarm.gearmand.engine.Views.ConnectionView;
import dev.gearfarm.gearmand.engine.Views.FunctionView;
import dev.gearfarm.gearmand.engine.Views.JobView;
import dev.gearfarm.gearmand.store.StoreWriter;
import dev.gearfarm.gearmand.store.StoredJob;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns every job, queue and worker table, as in C gearmand's processing thread.
 *
 * <p>Network threads call {@link #opened}, {@link #dispatch} and {@link #closed}; those only enqueue an
 * event. The engine thread drains events in batches, runs due timers (scheduled jobs, CAN_DO_TIMEOUT),
 * then hands each touched session its replies in one {@link Session#deliver} call. Methods not marked
 * otherwise run on the engine thread only.
 *
 * <p>With a persistent queue ({@link #useStore}), a new background job is handed to the
 * {@link StoreWriter} and its {@code JOB_CREATED} is held until the store reports the job durable
 * (a completion that arrives as an engine event, like a packet); the engine never waits for the store.
 */
public final class Engine {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    /** Longest unique id the C server accepts. */
    public static final int MAX_UNIQUE = 64;
    /** Longest function name the C server accepts. */
    public static final int MAX_FUNCTION = 512;
    /** Longest CAN_DO_TIMEOUT honoured (68 years); more would overflow a nanosecond deadline. */
    private static final long MAX_TIMEOUT_SECONDS = Integer.MAX_VALUE;
    private static final int BATCH = 4096;
    /** Background jobs whose store write may be in flight at once; beyond it, submissions get QUEUE_ERROR. */
    static final int MAX_STORING = 100_000;

    private record Event(Session session, Object message) {
    }

    private static final Object OPENED = new Object();
    private static final Object CLOSED = new Object();

    private record Timeout(long deadlineNanos, Job job) {
    }

    private final EngineConfig config;
    private final TextCommands textCommands;
    private final Queue<Event> inbox = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final boolean inline;
    private volatile boolean parked;
    private volatile boolean running = true;

    private final Map<String, FunctionQueue> functions = new LinkedHashMap<>();
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<Long, Session> sessions = new LinkedHashMap<>();
    private final PriorityQueue<Job> scheduled = new PriorityQueue<>(
            Comparator.comparingLong((Job job) -> job.runAfterEpoch).thenComparingLong(job -> job.sequence));
    // nanoTime values compare by difference only: the raw values may wrap.
    private final PriorityQueue<Timeout> timeouts = new PriorityQueue<>(
            (a, b) -> Long.compare(a.deadlineNanos() - b.deadlineNanos(), 0));
    private final List<Session> touched = new ArrayList<>();
    private long handleCounter;
    private long sequence;
    private Runnable stopListening = () -> { };
    private Runnable shutdown = () -> { };
    private boolean draining;
    private enum ShutdownRequest { NOW, GRACEFUL }
    private ShutdownRequest shutdownRequest;
    private String verboseLevel = "WARNING";
    /** The persistent queue's writer, or null when jobs live in memory only. */
    private StoreWriter store;
    /** Inline mode: runs store completions on the I/O thread that owns the engine. */
    private Executor inlineExecutor;
    /** Jobs with an add in flight, by id (their sequence number). */
    private final Map<Long, Job> storing = new HashMap<>();
    /** Told about every job's life for metrics; NONE unless {@link #observe} was called. */
    private JobEvents events = JobEvents.NONE;

    /** A question about engine state, answered on the engine thread (see {@link #inspect}). */
    private record Inspection<T>(Function<Engine, T> question, CompletableFuture<T> answer) {
        void run(Engine engine) {
            try {
                answer.complete(question.apply(engine));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }
    }

    /**
     * An engine on its own thread ({@code inline} false), or one driven by the single I/O thread that
     * calls {@link #dispatch} and {@link #runPending} ({@code inline} true: C gearmand's {@code -t 1},
     * where one thread does I/O and processing and no event crosses threads).
     */
    public Engine(EngineConfig config, TextCommands textCommands, boolean inline) {
        this.config = config;
        this.textCommands = textCommands;
        this.inline = inline;
        this.thread = inline ? null : new Thread(this::run, "gearmand-engine");
    }

    /** Starts the engine. {@code stopListening} and {@code shutdown} serve the admin {@code shutdown}. */
    public void start(Runnable stopListening, Runnable shutdown) {
        this.stopListening = stopListening;
        this.shutdown = shutdown;
        if (thread != null) {
            thread.start();
        }
    }

    /** Reports job events to {@code events}. Call before {@link #start}. */
    public void observe(JobEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Inline mode: the executor of the one I/O thread that owns the engine, so that other threads can
     * {@link #inspect} it. Call before {@link #start}.
     */
    public void ownedBy(Executor owner) {
        this.inlineExecutor = owner;
    }

    /**
     * Answers {@code question} on the engine thread, where its state may be read (the admin views, say).
     * Any thread. The future fails if the engine has stopped taking work.
     */
    public <T> CompletableFuture<T> inspect(Function<Engine, T> question) {
        Inspection<T> inspection = new Inspection<>(question, new CompletableFuture<>());
        if (inline) {
            try {
                inlineExecutor.execute(() -> inspection.run(this));
            } catch (RejectedExecutionException e) {
                inspection.answer().completeExceptionally(e);
            }
        } else if (!running) {
            inspection.answer().completeExceptionally(new IllegalStateException("the engine has stopped"));
        } else {
            inbox.offer(new Event(null, inspection));
            if (parked) {
                LockSupport.unpark(thread);
            }
        }
        return inspection.answer();
    }

    /** Connections open now. */
    public int connectionCount() {
        return sessions.size();
    }

    /** Whether the server is draining for a graceful shutdown (it takes no new jobs). */
    public boolean isDraining() {
        return draining;
    }

    /** Whether the engine runs on the I/O thread that feeds it. */
    public boolean isInline() {
        return inline;
    }

    /**
     * Makes background jobs durable through {@code writer}: restores {@code replayed} (queued in id order,
     * scheduled ones by their time, uniques indexed) and starts the writer. Call before {@link #start} and
     * before any connection; in inline mode, after {@link #ownedBy}.
     */
    public void useStore(StoreWriter writer, List<StoredJob> replayed) {
        this.store = writer;
        long now = nowEpochSeconds();
        for (StoredJob stored : replayed) {
            FunctionQueue function = function(stored.function());
            String key = "-".equals(stored.unique()) ? Packet.latin1(stored.data()) : stored.unique();
            Job job = new Job(config.handlePrefix() + ":" + stored.id(), function, stored.unique(), key,
                    stored.data(), stored.reducer(), Priority.ALL[stored.priority()], stored.id(),
                    stored.whenToRun(), true);
            job.stored = true;
            jobs.put(job.handle, job);
            if (!key.isEmpty()) {
                function.byUnique.put(key, job);
            }
            place(job, now);
            sequence = Math.max(sequence, stored.id());
        }
        handleCounter = Math.max(handleCounter, sequence);
        writer.start(this::storeCompleted);
    }

    /**
     * The store finished a batch of adds. Called on the store thread: queues the completion as an engine
     * event (inline: as a task on the owning I/O thread).
     */
    private void storeCompleted(StoreWriter.Completion completion) {
        if (inline) {
            try {
                inlineExecutor.execute(() -> {
                    applyStored(completion);
                    drain();
                });
            } catch (RejectedExecutionException e) {
                // Shutting down: the jobs are durable or not, and their clients are gone either way.
            }
            return;
        }
        inbox.offer(new Event(null, completion));
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Inline mode: runs due timers and hands out the replies collected since the last call. Called by the
     * owning I/O thread once per event-loop iteration that read something, and on a short timer tick.
     */
    public void runPending() {
        drain();
    }

    /** Stops the engine thread and waits for it. Any thread. */
    public void stop() {
        running = false;
        if (thread == null) {
            return;
        }
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A connection was accepted. Any thread; inline, only the owning I/O thread (as for the two below). */
    public void opened(Session session) {
        offer(session, OPENED);
    }

    /** A decoded {@link Packet}, {@link AdminLine} or {@link DecodeFailure} arrived. */
    public void dispatch(Session session, Object message) {
        offer(session, message);
    }

    /** A connection closed. */
    public void closed(Session session) {
        offer(session, CLOSED);
    }

    private void offer(Session session, Object message) {
        if (inline) {
            // Called on the one thread that owns the engine: handle it now, reply at the next drain.
            handle(session, message);
            return;
        }
        inbox.offer(new Event(session, message));
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void drain() {
        Event event;
        int handled = 0;
        while (handled < BATCH && (event = inbox.poll()) != null) {
            if (event.session() == null) {
                if (event.message() instanceof Inspection<?> inspection) {
                    inspection.run(this);
                } else {
                    applyStored((StoreWriter.Completion) event.message());
                }
            } else {
                handle(event.session(), event.message());
            }
            handled++;
        }
        runTimers();
        flushTouched();
        if (store != null) {
            store.flush();
        }
        if (shutdownRequest != null) {
            applyShutdownRequest();
        }
    }

    private void run() {
        while (running) {
            drain();
            if (inbox.isEmpty() && running) {
                parked = true;
                if (inbox.isEmpty()) {
                    long wait = nanosUntilNextTimer();
                    if (wait < 0) {
                        LockSupport.park(this);
                    } else if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                }
                parked = false;
            }
        }
    }

    private void handle(Session session, Object message) {
        try {
            if (message == OPENED) {
                session.exceptions = config.exceptions();
                sessions.put(session.id(), session);
            } else if (message == CLOSED) {
                disconnect(session);
            } else if (session.closed) {
                return;
            } else if (message instanceof Packet packet) {
                handlePacket(session, packet);
            } else if (message instanceof AdminLine line) {
                if (!line.text().isBlank()) {
                    send(session, textCommands.execute(line.text(), this));
                }
            } else if (message instanceof DecodeFailure failure) {
                send(session, Packet.response(ERROR, failure.code(), failure.message()));
                if (failure.fatal()) {
                    log.warn("closing connection {} from {}: {}", session.id(), session.remoteHost(),
                            failure.message());
                    session.closeAfterDelivery();
                    touch(session);
                }
            }
        } catch (RuntimeException e) {
            // A bug must cost one connection, never the engine thread and every job with it.
            log.error("internal error handling {} on connection {}; closing it", message, session.id(), e);
            send(session, Packet.response(ERROR, "UNKNOWN_STATE", "internal server error: " + e));
            session.closeAfterDelivery();
        }
    }

    private void handlePacket(Session session, Packet packet) {
        if (packet.magic() != Magic.REQ) {
            error(session, "INVALID_MAGIC", "Request magic expected");
            return;
        }
        switch (packet.type()) {
            case SUBMIT_JOB -> submit(session, packet, Priority.NORMAL, false, 0, null);
            case SUBMIT_JOB_HIGH -> submit(session, packet, Priority.HIGH, false, 0, null);
            case SUBMIT_JOB_LOW -> submit(session, packet, Priority.LOW, false, 0, null);
            case SUBMIT_JOB_BG -> submit(session, packet, Priority.NORMAL, true, 0, null);
            case SUBMIT_JOB_HIGH_BG -> submit(session, packet, Priority.HIGH, true, 0, null);
            case SUBMIT_JOB_LOW_BG -> submit(session, packet, Priority.LOW, true, 0, null);
            case SUBMIT_JOB_EPOCH -> submitEpoch(session, packet);
            case SUBMIT_REDUCE_JOB -> submit(session, packet, Priority.NORMAL, false, 0, packet.argString(2));
            case SUBMIT_REDUCE_JOB_BACKGROUND ->
                    submit(session, packet, Priority.NORMAL, true, 0, packet.argString(2));
            case GRAB_JOB, GRAB_JOB_UNIQ, GRAB_JOB_ALL -> grab(session, packet.type());
            case PRE_SLEEP -> preSleep(session);
            case CAN_DO -> canDo(session, packet.argString(0), 0);
            case CAN_DO_TIMEOUT -> canDoTimeout(session, packet);
            case CANT_DO -> cantDo(session, packet.argString(0));
            case RESET_ABILITIES -> resetAbilities(session);
            case WORK_STATUS, WORK_DATA, WORK_WARNING, WORK_COMPLETE, WORK_FAIL, WORK_EXCEPTION ->
                    workResult(session, packet);
            case GET_STATUS -> getStatus(session, packet.argString(0));
            case GET_STATUS_UNIQUE -> getStatusUnique(session, packet.argString(0));
            case ECHO_REQ -> send(session, Packet.response(PacketType.ECHO_RES, packet.arg(0)));
            case OPTION_REQ -> option(session, packet.argString(0));
            case SET_CLIENT_ID -> session.clientId = packet.argString(0).isEmpty() ? "-" : packet.argString(0);
            default -> error(session, "INVALID_COMMAND", "Command not expected");
        }
    }

    // ---- submission

    private void submitEpoch(Session session, Packet packet) {
        long epoch;
        try {
            epoch = Long.parseLong(packet.argString(2).trim());
        } catch (NumberFormatException e) {
            error(session, "INVALID_ARGUMENT", "SUBMIT_JOB_EPOCH time is not a Unix time in seconds: "
                    + packet.argString(2));
            return;
        }
        submit(session, packet, Priority.NORMAL, true, epoch, null);
    }

    private void submit(Session session, Packet packet, Priority priority, boolean background, long epoch,
            String reducer) {
        String name = packet.argString(0);
        String unique = packet.argString(1);
        byte[] data = packet.arg(packet.args().size() - 1);
        if (unique.length() > MAX_UNIQUE) {
            error(session, "ARGUMENT_TOO_LARGE", "Unique value too large");
            return;
        }
        if (name.isEmpty() || name.length() > MAX_FUNCTION) {
            error(session, "INVALID_FUNCTION_NAME", name.isEmpty() ? "Function name is empty"
                    : "Function name too large");
            return;
        }
        if (draining) {
            error(session, "SHUTDOWN", "Server is shutting down");
            return;
        }
        FunctionQueue function = function(name);
        // "-" asks the server to use the workload as the unique id (empty workload: no coalescing).
        String key = "-".equals(unique) ? Packet.latin1(data) : unique;
        if (!key.isEmpty()) {
            Job existing = function.byUnique.get(key);
            if (existing != null) {
                if (!background) {
                    existing.addListener(session);
                } else if (existing.awaitingStore != null) {
                    existing.awaitingStore.add(session);
                    return;
                } else if (store != null && !existing.stored) {
                    // A foreground job becomes a background one: it must be durable before this JOB_CREATED.
                    if (storeFull(session)) {
                        return;
                    }
                    persist(existing, session);
                    return;
                } else {
                    existing.background = true;
                }
                send(session, Packet.response(JOB_CREATED, existing.handle));
                return;
            }
        }
        int limit = function.maxQueue[priority.ordinal()];
        if (limit > 0 && function.total() >= limit) {
            error(session, "QUEUE_ERROR", "Job queue is full");
            return;
        }
        boolean durable = background && store != null;
        if (durable && storeFull(session)) {
            return;
        }
        String handle = config.handlePrefix() + ":" + (++handleCounter);
        // Memory per queued job is what a big backlog costs, so a job keeps strings only: replies encode
        // its handle again (a dozen bytes) rather than every job carrying a second copy.
        Job job = new Job(handle, function, unique, key, data, reducer, priority, ++sequence, epoch, background);
        jobs.put(handle, job);
        events.submitted(name, background);
        if (!key.isEmpty()) {
            function.byUnique.put(key, job);
        }
        if (durable) {
            job.state = Job.State.STORING;
            function.storing++;
            persist(job, session);
            return;
        }
        if (!background) {
            job.addListener(session);
        }
        send(session, Packet.response(JOB_CREATED, job.handle));
        place(job, nowEpochSeconds());
    }

    /** Queues a new or restored job, or holds it until its time. */
    private void place(Job job, long now) {
        if (job.runAfterEpoch > now) {
            job.state = Job.State.SCHEDULED;
            job.function.scheduled++;
            scheduled.add(job);
        } else {
            enqueue(job);
        }
    }

    private boolean storeFull(Session session) {
        if (storing.size() < MAX_STORING) {
            return false;
        }
        error(session, "QUEUE_ERROR", "persistent queue " + store.store().describe() + " has " + storing.size()
                + " writes in flight, the limit; try again");
        return true;
    }

    /** Hands a job to the store; {@code session}'s JOB_CREATED waits for the store's answer. */
    private void persist(Job job, Session session) {
        job.stored = true;
        job.awaitingStore = new ArrayList<>(1);
        job.awaitingStore.add(session);
        storing.put(job.sequence, job);
        store.add(new StoredJob(job.sequence, job.function.name, job.unique, job.priority.ordinal(),
                job.runAfterEpoch, job.reducer, job.data));
    }

    /** The store answered for a batch of adds: release the held JOB_CREATED replies, or refuse them. */
    private void applyStored(StoreWriter.Completion completion) {
        long now = nowEpochSeconds();
        for (long id : completion.added()) {
            Job job = storing.remove(id);
            if (job == null) {
                continue;
            }
            List<Session> waiters = job.awaitingStore;
            job.awaitingStore = null;
            boolean isNew = job.state == Job.State.STORING;
            if (isNew) {
                job.function.storing--;
            }
            if (completion.ok()) {
                if (job.state != Job.State.DONE) {
                    job.background = true;
                }
                for (Session waiter : waiters) {
                    send(waiter, Packet.response(JOB_CREATED, job.handle));
                }
                if (isNew) {
                    place(job, now);
                }
                continue;
            }
            job.stored = false;
            for (Session waiter : waiters) {
                error(waiter, "QUEUE_ERROR", "background job not accepted: " + completion.failure());
            }
            if (isNew) {
                if (job.listenerCount() > 0) {
                    // Foreground submitters coalesced with it meanwhile: it runs for them, in memory only.
                    job.background = false;
                    place(job, now);
                } else {
                    job.state = Job.State.DONE;
                    forget(job);
                }
            } else if (job.state == Job.State.QUEUED && !job.background && job.listenerCount() == 0) {
                finish(job);
            }
        }
        if (draining && jobs.isEmpty()) {
            shutdownRequest = ShutdownRequest.NOW;
        }
    }

    private void enqueue(Job job) {
        job.state = Job.State.QUEUED;
        job.function.enqueue(job);
        wake(job.function);
    }

    private FunctionQueue function(String name) {
        FunctionQueue function = functions.get(name);
        if (function == null) {
            function = new FunctionQueue(name);
            functions.put(name, function);
        }
        return function;
    }

    /** Sends NOOP to sleeping workers of a function that has a job for them, at most once per sleep. */
    private void wake(FunctionQueue function) {
        if (function.sleepers.isEmpty()) {
            return;
        }
        int limit = config.wakeupLimit() == 0 ? Integer.MAX_VALUE : config.wakeupLimit();
        List<Session> woken = new ArrayList<>(Math.min(limit, function.sleepers.size()));
        for (Session sleeper : function.sleepers) {
            if (woken.size() >= limit) {
                break;
            }
            woken.add(sleeper);
        }
        for (Session sleeper : woken) {
            wakeOne(sleeper);
        }
    }

    private void wakeOne(Session worker) {
        if (!worker.noopSent) {
            worker.noopSent = true;
            send(worker, Packet.response(NOOP));
        }
        unsleep(worker);
    }

    private void unsleep(Session worker) {
        if (worker.sleeping) {
            worker.sleeping = false;
            for (FunctionQueue function : worker.abilities.keySet()) {
                function.sleepers.remove(worker);
            }
        }
    }

    // ---- workers

    private void canDo(Session session, String name, long timeoutSeconds) {
        if (name.isEmpty() || name.length() > MAX_FUNCTION) {
            error(session, "INVALID_FUNCTION_NAME", "Function name must be 1-" + MAX_FUNCTION + " bytes");
            return;
        }
        FunctionQueue function = function(name);
        session.abilities.put(function, timeoutSeconds);
        function.workers.add(session);
        if (session.sleeping) {
            function.sleepers.add(session);
            if (function.hasRunnable()) {
                wakeOne(session);
            }
        }
    }

    private void canDoTimeout(Session session, Packet packet) {
        long seconds;
        try {
            seconds = Long.parseLong(packet.argString(1).trim());
        } catch (NumberFormatException e) {
            error(session, "INVALID_ARGUMENT", "CAN_DO_TIMEOUT timeout is not a whole number of seconds: "
                    + packet.argString(1));
            return;
        }
        canDo(session, packet.argString(0), Math.min(Math.max(0, seconds), MAX_TIMEOUT_SECONDS));
    }

    private void cantDo(Session session, String name) {
        FunctionQueue function = functions.get(name);
        if (function == null || session.abilities.remove(function) == null) {
            return;
        }
        function.workers.remove(session);
        function.sleepers.remove(session);
        for (Job job : new ArrayList<>(session.running)) {
            if (job.function == function) {
                requeue(job);
            }
        }
    }

    private void resetAbilities(Session session) {
        for (FunctionQueue function : session.abilities.keySet()) {
            function.workers.remove(session);
            function.sleepers.remove(session);
        }
        // A sleeping worker stays asleep: it still waits for the NOOP its next CAN_DO may earn.
        session.abilities.clear();
        for (Job job : new ArrayList<>(session.running)) {
            requeue(job);
        }
    }

    private void preSleep(Session session) {
        for (FunctionQueue function : session.abilities.keySet()) {
            if (function.hasRunnable()) {
                // A job arrived between the worker's NO_JOB and its PRE_SLEEP: wake it at once.
                session.noopSent = true;
                send(session, Packet.response(NOOP));
                return;
            }
        }
        session.sleeping = true;
        session.noopSent = false;
        for (FunctionQueue function : session.abilities.keySet()) {
            function.sleepers.add(session);
        }
    }

    private void grab(Session session, PacketType grabType) {
        unsleep(session);
        session.noopSent = false;
        Job job = nextJobFor(session);
        if (job == null) {
            send(session, Packet.response(PacketType.NO_JOB));
            return;
        }
        job.function.poll(job.priority);
        job.state = Job.State.RUNNING;
        events.started(job.function.name, System.nanoTime() - job.submittedNanos);
        job.worker = session;
        job.function.running++;
        session.running.add(job);
        byte[] name = job.function.nameBytes;
        if (grabType == PacketType.GRAB_JOB) {
            send(session, Packet.response(PacketType.JOB_ASSIGN, job.handle, name, job.data));
        } else if (grabType == PacketType.GRAB_JOB_ALL && job.reducer != null) {
            send(session, Packet.response(PacketType.JOB_ASSIGN_ALL, job.handle, name, job.unique, job.reducer,
                    job.data));
        } else {
            send(session, Packet.response(PacketType.JOB_ASSIGN_UNIQ, job.handle, name, job.unique, job.data));
        }
        long timeoutSeconds = session.abilities.getOrDefault(job.function, 0L);
        if (timeoutSeconds > 0) {
            timeouts.add(new Timeout(System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds), job));
            job.timed = true;
        }
    }

    /**
     * Priority is global across the worker's functions (gearmand 2.0): the oldest high job of any of
     * them, else the oldest normal, else the oldest low.
     */
    private static Job nextJobFor(Session session) {
        for (Priority priority : Priority.ALL) {
            Job best = null;
            for (FunctionQueue function : session.abilities.keySet()) {
                Job head = function.peek(priority);
                if (head != null && (best == null || head.sequence < best.sequence)) {
                    best = head;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    private void workResult(Session session, Packet packet) {
        PacketType type = packet.type();
        String handle = packet.argString(0);
        if (type == PacketType.WORK_FAIL && handle.endsWith("\0")) {
            handle = handle.substring(0, handle.length() - 1);
        }
        Job job = jobs.get(handle);
        if (job == null || job.worker != session || job.state != Job.State.RUNNING) {
            if (session.endedRecently(handle)) {
                // This worker held the job until it ended without it (CAN_DO_TIMEOUT), or it already sent
                // a terminal packet (Perl workers send WORK_FAIL after WORK_EXCEPTION). An ERROR here
                // makes Perl's Gearman::Worker die, so the late packet is dropped quietly.
                return;
            }
            boolean streaming = type == PacketType.WORK_DATA || type == PacketType.WORK_WARNING;
            error(session, "JOB_NOT_FOUND", streaming ? "Job does not exist on server"
                    : "Job given in work result not found");
            return;
        }
        switch (type) {
            case WORK_STATUS -> {
                job.numerator = packet.argString(1);
                job.denominator = packet.argString(2);
                forward(job, new Packet(Magic.RES, type, packet.args()));
            }
            case WORK_DATA, WORK_WARNING -> forward(job, new Packet(Magic.RES, type, packet.args()));
            case WORK_COMPLETE -> {
                forward(job, new Packet(Magic.RES, type, packet.args()));
                ended(job, JobEvents.Outcome.COMPLETED);
                finish(job);
            }
            case WORK_FAIL -> {
                forward(job, Packet.response(PacketType.WORK_FAIL, job.handle));
                ended(job, JobEvents.Outcome.FAILED);
                finish(job);
            }
            case WORK_EXCEPTION -> {
                Packet exception = new Packet(Magic.RES, type, packet.args());
                Packet fail = Packet.response(PacketType.WORK_FAIL, job.handle);
                for (Session listener : job.listeners()) {
                    send(listener, listener.exceptions ? exception : fail);
                }
                ended(job, JobEvents.Outcome.EXCEPTION);
                finish(job);
            }
            default -> throw new IllegalStateException(type.name());
        }
    }

    private void forward(Job job, Packet packet) {
        for (Session listener : job.listeners()) {
            send(listener, packet);
        }
    }

    /** The job is over: forget it everywhere. */
    private void ended(Job job, JobEvents.Outcome outcome) {
        events.ended(job.function.name, outcome, System.nanoTime() - job.submittedNanos);
    }

    private void finish(Job job) {
        if (job.state == Job.State.RUNNING) {
            job.function.running--;
            job.worker.running.remove(job);
            job.worker.rememberEnded(job.handle);
            job.worker = null;
            stopTimer(job);
        } else if (job.state == Job.State.QUEUED) {
            job.function.unqueue(job);
        } else if (job.state == Job.State.SCHEDULED) {
            job.function.scheduled--;
            scheduled.remove(job);
        }
        job.state = Job.State.DONE;
        unstore(job);
        forget(job);
        job.detachListeners();
        if (draining && jobs.isEmpty()) {
            shutdownRequest = ShutdownRequest.NOW;
        }
    }

    private void forget(Job job) {
        jobs.remove(job.handle);
        if (!job.uniqueKey.isEmpty()) {
            job.function.byUnique.remove(job.uniqueKey, job);
        }
    }

    /**
     * Removes the job from the store. Not waited for: a remove that never lands only means the job runs
     * again after a restart (at-least-once).
     */
    private void unstore(Job job) {
        if (job.stored) {
            job.stored = false;
            store.remove(job.sequence);
        }
    }

    /** The job's worker went away (or gave up the function): run it again, or fail it after its last try. */
    private void requeue(Job job) {
        job.function.running--;
        job.worker.running.remove(job);
        job.worker = null;
        stopTimer(job);
        job.retries++;
        job.numerator = "0";
        job.denominator = "0";
        if (!job.background && job.listenerCount() == 0 && job.awaitingStore == null) {
            job.state = Job.State.DONE;
            finish(job);
            return;
        }
        if (config.maxAttempts() >= 0 && job.retries >= config.maxAttempts()) {
            log.info("failing job {} of {} after {} attempts whose workers disconnected (--job-retries {})",
                    job.handle, job.function.name, job.retries, config.maxAttempts());
            forward(job, Packet.response(PacketType.WORK_FAIL, job.handle));
            ended(job, JobEvents.Outcome.RETRIES_EXHAUSTED);
            job.state = Job.State.DONE;
            finish(job);
            return;
        }
        events.retried(job.function.name);
        enqueue(job);
    }

    /**
     * Drops the CAN_DO_TIMEOUT timer of a job that stopped running. Left in the queue, it would hold the
     * job and its data until the deadline, which may be hours away for every job a timed worker ran.
     */
    private void stopTimer(Job job) {
        if (job.timed) {
            job.timed = false;
            timeouts.removeIf(timeout -> timeout.job() == job);
        }
    }

    private void disconnect(Session session) {
        if (sessions.remove(session.id()) == null) {
            return;
        }
        session.closed = true;
        for (Job job : new ArrayList<>(session.waitingOn)) {
            job.removeListener(session);
            if (job.listenerCount() == 0 && !job.background && job.awaitingStore == null
                    && job.state == Job.State.QUEUED) {
                finish(job);
            }
        }
        session.waitingOn.clear();
        for (FunctionQueue function : session.abilities.keySet()) {
            function.workers.remove(session);
            function.sleepers.remove(session);
        }
        for (Job job : new ArrayList<>(session.running)) {
            requeue(job);
        }
        session.abilities.clear();
    }

    // ---- status and options

    private void getStatus(Session session, String handle) {
        Job job = jobs.get(handle);
        if (job == null) {
            send(session, Packet.response(PacketType.STATUS_RES, handle, "0", "0", "0", "0"));
        } else {
            send(session, Packet.response(PacketType.STATUS_RES, handle, "1",
                    job.state == Job.State.RUNNING ? "1" : "0", job.numerator, job.denominator));
        }
    }

    private void getStatusUnique(Session session, String unique) {
        Job job = null;
        for (FunctionQueue function : functions.values()) {
            job = function.byUnique.get(unique);
            if (job != null) {
                break;
            }
        }
        if (job == null) {
            send(session, Packet.response(PacketType.STATUS_RES_UNIQUE, unique, "0", "0", "0", "0", "0"));
        } else {
            send(session, Packet.response(PacketType.STATUS_RES_UNIQUE, unique, "1",
                    job.state == Job.State.RUNNING ? "1" : "0", job.numerator, job.denominator,
                    Integer.toString(job.listenerCount())));
        }
    }

    private void option(Session session, String name) {
        if ("exceptions".equals(name)) {
            session.exceptions = true;
            send(session, Packet.response(PacketType.OPTION_RES, name));
        } else {
            error(session, "UNKNOWN_OPTION", "Server does not recognize given option");
        }
    }

    // ---- timers

    private void runTimers() {
        if (!scheduled.isEmpty()) {
            long now = nowEpochSeconds();
            while (!scheduled.isEmpty() && scheduled.peek().runAfterEpoch <= now) {
                Job job = scheduled.poll();
                job.function.scheduled--;
                enqueue(job);
            }
        }
        if (!timeouts.isEmpty()) {
            long now = System.nanoTime();
            while (!timeouts.isEmpty() && timeouts.peek().deadlineNanos() - now <= 0) {
                Job job = timeouts.poll().job();
                job.timed = false;
                if (job.state == Job.State.RUNNING) {
                    // PROTOCOL: "mark the job as failed and notify any listening clients". C gearmand
                    // requeues instead, which retries a job that hangs forever.
                    log.info("job {} of {} overran its CAN_DO_TIMEOUT on connection {}; failing it",
                            job.handle, job.function.name, job.worker.id());
                    forward(job, Packet.response(PacketType.WORK_FAIL, job.handle));
                    ended(job, JobEvents.Outcome.TIMED_OUT);
                    finish(job);
                }
            }
        }
    }

    private long nanosUntilNextTimer() {
        long wait = -1;
        if (!scheduled.isEmpty()) {
            long epoch = scheduled.peek().runAfterEpoch;
            // Saturate: a far-future epoch times 1000 would wrap negative and the engine would spin.
            long millis = epoch > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : epoch * 1000 - System.currentTimeMillis();
            wait = Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis));
        }
        if (!timeouts.isEmpty()) {
            long nanos = Math.max(0, timeouts.peek().deadlineNanos() - System.nanoTime());
            wait = wait < 0 ? nanos : Math.min(wait, nanos);
        }
        return wait;
    }

    private static long nowEpochSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    // ---- output

    private void error(Session session, String code, String text) {
        send(session, Packet.response(ERROR, code, text));
    }

    private void send(Session session, Object message) {
        if (session.closed) {
            return;
        }
        session.send(message);
        touch(session);
    }

    private void touch(Session session) {
        if (!session.touched) {
            session.touched = true;
            touched.add(session);
        }
    }

    private void flushTouched() {
        for (int i = 0; i < touched.size(); i++) {
            Session session = touched.get(i);
            session.touched = false;
            if (session.hasPending()) {
                session.flush();
            }
        }
        touched.clear();
    }

    // ---- admin operations (engine thread, called by TextCommands)

    /** Every function, in creation order. */
    public List<FunctionView> functions() {
        List<FunctionView> views = new ArrayList<>(functions.size());
        for (FunctionQueue function : functions.values()) {
            views.add(new FunctionView(function.name, function.total(), function.running, function.workers.size(),
                    function.queued[0], function.queued[1] + function.scheduled, function.queued[2]));
        }
        return views;
    }

    /** Every connection, in accept order. */
    public List<ConnectionView> connections() {
        List<ConnectionView> views = new ArrayList<>(sessions.size());
        for (Session session : sessions.values()) {
            List<String> names = new ArrayList<>(session.abilities.size());
            for (FunctionQueue function : session.abilities.keySet()) {
                names.add(function.name);
            }
            views.add(new ConnectionView(session.id(), session.remoteHost(), session.clientId, names));
        }
        return views;
    }

    /** Every job the server holds. */
    public List<JobView> jobs() {
        List<JobView> views = new ArrayList<>(jobs.size());
        for (Job job : jobs.values()) {
            views.add(new JobView(job.handle, job.unique, job.retries, job.removed, job.background));
        }
        return views;
    }

    /** Cancels a queued or scheduled job, failing it to its clients; false when the handle is unknown. */
    public boolean cancel(String handle) {
        Job job = jobs.get(handle);
        if (job == null || job.state == Job.State.STORING) {
            // A job the store has not acknowledged was never announced to its submitter.
            return false;
        }
        forward(job, Packet.response(PacketType.WORK_FAIL, job.handle));
        if (job.state == Job.State.RUNNING) {
            // The worker still holds it; its result will be dropped when it arrives, and counted then
            // (counting it here too would end one job twice in the metrics).
            job.detachListeners();
            job.background = false;
            unstore(job);
        } else {
            ended(job, JobEvents.Outcome.CANCELLED);
            finish(job);
        }
        return true;
    }

    /** Sets a function's per-priority queue limits; false when the function does not exist. */
    public boolean maxQueue(String name, int high, int normal, int low) {
        FunctionQueue function = functions.get(name);
        if (function == null) {
            return false;
        }
        function.maxQueue[0] = high;
        function.maxQueue[1] = normal;
        function.maxQueue[2] = low;
        return true;
    }

    /** Creates a function name so it shows in {@code status}. */
    public void createFunction(String name) {
        function(name);
    }

    /** Result of {@link #dropFunction}. */
    public enum DropResult { DROPPED, NOT_FOUND, IN_USE }

    /** Forgets a function that has no workers and no jobs. */
    public DropResult dropFunction(String name) {
        FunctionQueue function = functions.get(name);
        if (function == null) {
            return DropResult.NOT_FOUND;
        }
        if (!function.isIdle()) {
            return DropResult.IN_USE;
        }
        functions.remove(name);
        return DropResult.DROPPED;
    }

    /** The server version for {@code version}. */
    public String version() {
        return config.version();
    }

    /** The verbosity level name for {@code verbose}. */
    public String verboseLevel() {
        return verboseLevel;
    }

    /** Sets the level name {@code verbose} reports. */
    public void verboseLevel(String level) {
        this.verboseLevel = level;
    }

    /**
     * Asks the server to stop: at once, or after every job it holds has finished ({@code graceful}). The
     * stop happens after the current batch's replies are handed to the network, so the admin's OK is sent.
     */
    public void shutdown(boolean graceful) {
        shutdownRequest = graceful ? ShutdownRequest.GRACEFUL : ShutdownRequest.NOW;
    }

    private void applyShutdownRequest() {
        ShutdownRequest request = shutdownRequest;
        shutdownRequest = null;
        if (request == ShutdownRequest.NOW) {
            shutdown.run();
        } else if (!draining) {
            draining = true;
            log.info("graceful shutdown: no new jobs or connections; {} jobs left to finish", jobs.size());
            stopListening.run();
            if (jobs.isEmpty()) {
                shutdown.run();
            }
        }
    }
}
