package dev.gearfarm.gearman.client;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.internal.ConnectionSettings;
import dev.gearfarm.gearman.internal.Failures;
import dev.gearfarm.gearman.internal.ReconnectingConnection;
import dev.gearfarm.gearman.internal.ServerAddress;
import dev.gearfarm.gearman.internal.Transport;
import dev.gearfarm.gearman.protocol.ProtocolLimits;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A Gearman client: submits jobs to one or more job servers and asks about their status.
 *
 * <p>Create one per application and share it; it is thread-safe, keeps one connection per server, and
 * pipelines every request on it. Close it when done, which fails whatever still waits on it.
 *
 * <p>A job with a unique id goes to the server picked by the id's hash, so that overlapping submissions
 * meet on one server and are coalesced; other jobs go round-robin. A server that is down is skipped in
 * favour of the next, and reconnected in the background. When a connection drops, every request and
 * foreground job waiting on it fails with a {@link GearmanConnectionException} naming the server: the
 * client does not resubmit, because it cannot know whether the server had already queued the job.
 *
 * <pre>{@code
 * try (GearmanClient client = GearmanClient.create(ClientOptions.builder().servers("gm1:4730").build())) {
 *     byte[] reversed = client.submit(JobRequest.of("reverse", "hello")).result().join();
 * }
 * }</pre>
 */
public final class GearmanClient implements AutoCloseable {
    /** How long {@link #close()} waits for connections to close and I/O threads to stop. */
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final ClientOptions options;
    private final EventLoopGroup group;
    private final List<ReconnectingConnection<ClientSession>> servers;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private GearmanClient(ClientOptions options) {
        this.options = options;
        int threads = Math.min(options.servers().size(), Runtime.getRuntime().availableProcessors());
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(options.clientId(), true),
                Transport.ioHandlerFactory());
        ConnectionSettings settings = new ConnectionSettings(options.connectTimeout(), options.responseTimeout(),
                options.maxPendingPerConnection(), ProtocolLimits.DEFAULT);
        List<ReconnectingConnection<ClientSession>> connections = new ArrayList<>();
        for (String server : options.servers()) {
            connections.add(new ReconnectingConnection<>(group, ServerAddress.parse(server), settings,
                    connection -> new ClientSession(connection, options.exceptions()),
                    options.reconnectDelayMin(), options.reconnectDelayMax()));
        }
        this.servers = List.copyOf(connections);
    }

    /** A client with {@code options}; it starts connecting to every server at once, in the background. */
    public static GearmanClient create(ClientOptions options) {
        return new GearmanClient(options);
    }

    /** A client with the default options for {@code servers} ({@code host:port} each). */
    public static GearmanClient create(String... servers) {
        return create(ClientOptions.builder().servers(servers).build());
    }

    /** The options this client was created with. */
    public ClientOptions options() {
        return options;
    }

    /** Submits a foreground job. */
    public JobFuture submit(JobRequest request) {
        return submit(request, null);
    }

    /**
     * Submits a foreground job whose {@code WORK_DATA}, {@code WORK_WARNING} and {@code WORK_STATUS} go to
     * {@code listener} (which may be null).
     */
    public JobFuture submit(JobRequest request, JobListener listener) {
        if (request.runAt() != null) {
            throw new IllegalArgumentException("a scheduled job (runAt " + request.runAt()
                    + ") runs in the background; use submitBackground");
        }
        JobFuture job = new JobFuture(request, listener);
        pick(request.unique()).whenComplete((session, error) -> {
            if (error != null) {
                job.fail(Failures.gearman(error, "job submission"));
            } else {
                session.submit(job);
            }
        });
        return job;
    }

    /** Submits a background job; the future completes with its handle once the server has queued it. */
    public CompletableFuture<String> submitBackground(JobRequest request) {
        return pick(request.unique()).thenCompose(session -> session.submitBackground(request));
    }

    /**
     * The status of a job by handle. Handles do not say which server made them, so every reachable server
     * is asked and the first that knows the job answers; if none does, the job is reported unknown.
     */
    public CompletableFuture<JobStatus> status(String handle) {
        return askAll(session -> session.status(handle), JobStatus::known);
    }

    /**
     * The status of a job by unique id ({@code GET_STATUS_UNIQUE}). Every reachable server is asked, as for
     * {@link #status}, since the job's server may have been down when it was submitted.
     */
    public CompletableFuture<UniqueStatus> statusByUnique(String unique) {
        return askAll(session -> session.statusByUnique(unique), UniqueStatus::known);
    }

    private <T> CompletableFuture<T> askAll(Function<ClientSession, CompletableFuture<T>> question,
            java.util.function.Predicate<T> known) {
        checkOpen();
        List<CompletableFuture<T>> answers = new ArrayList<>();
        for (ReconnectingConnection<ClientSession> server : servers) {
            answers.add(server.session().thenCompose(question));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
            T unknown = null;
            List<String> failures = new ArrayList<>();
            for (CompletableFuture<T> answer : answers) {
                if (answer.isCompletedExceptionally()) {
                    failures.add(answer.handle((value, e) -> Failures.describe(e)).join());
                    continue;
                }
                T value = answer.join();
                if (known.test(value)) {
                    return value;
                }
                if (unknown == null) {
                    unknown = value;
                }
            }
            if (unknown != null) {
                return unknown;
            }
            throw new GearmanConnectionException(String.join(",", options.servers()),
                    "no Gearman server answered: " + String.join("; ", failures));
        });
    }

    /**
     * The session to send to: by the unique id's hash when there is one, else the next in turn; a server
     * that is down is skipped for the one after it.
     */
    private CompletableFuture<ClientSession> pick(String unique) {
        checkOpen();
        int count = servers.size();
        int first = Math.floorMod(unique.isEmpty() ? roundRobin.getAndIncrement() : unique.hashCode(), count);
        return pickFrom(first, 0, new ArrayList<>());
    }

    private CompletableFuture<ClientSession> pickFrom(int first, int tried, List<String> failures) {
        if (tried == servers.size()) {
            return CompletableFuture.failedFuture(new GearmanConnectionException(String.join(",", options.servers()),
                    "no Gearman server is reachable: " + String.join("; ", failures)));
        }
        ReconnectingConnection<ClientSession> server = servers.get((first + tried) % servers.size());
        return server.session().exceptionallyCompose(error -> {
            failures.add(Failures.describe(error));
            return pickFrom(first, tried + 1, failures);
        });
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the Gearman client is closed");
        }
    }

    /**
     * Closes every connection, failing the requests and foreground jobs still waiting with a {@link
     * GearmanConnectionException}, and stops the I/O threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (ReconnectingConnection<ClientSession> server : servers) {
            closing.add(server.closeAsync());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Shut the threads down regardless; whatever did not close is closed with them.
        }
        group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(
                CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
