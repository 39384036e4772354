package dev.gearfarm.gearman.internal;

import dev.gearfarm.gearman.GearmanConnectionException;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a session to one server alive: connects, and after a failed attempt or a dropped connection
 * tries again in the background, waiting {@code minDelay} and doubling up to {@code maxDelay}.
 *
 * <p>While the server is down {@link #session()} fails at once, so a caller with several servers can move
 * on to the next without waiting for a connect timeout. Only the very first attempt is waited for; its
 * waiters are answered in the order they asked, so requests one thread made in order go out in order
 * (a single shared future would run its callbacks last-first).
 */
public final class ReconnectingConnection<S extends Session> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingConnection.class);

    private final EventLoopGroup group;
    private final ServerAddress server;
    private final ConnectionSettings settings;
    private final Function<GearmanConnection, S> sessions;
    private final Duration minDelay;
    private final Duration maxDelay;

    // Guarded by this.
    private CompletableFuture<S> current;
    /** Callers of {@link #session()} during the first attempt, oldest first; null once they were answered. */
    private List<CompletableFuture<S>> waiters = new ArrayList<>();
    private Duration delay;
    private boolean closed;

    public ReconnectingConnection(EventLoopGroup group, ServerAddress server, ConnectionSettings settings,
            Function<GearmanConnection, S> sessions, Duration minDelay, Duration maxDelay) {
        this.group = group;
        this.server = server;
        this.settings = settings;
        this.sessions = sessions;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.delay = minDelay;
        this.current = new CompletableFuture<>();
        connect(current);
    }

    /** The server this connection goes to. */
    public ServerAddress server() {
        return server;
    }

    /**
     * The live session; or, during the first attempt, that attempt; or, while the server is down, a future
     * already failed with a {@link GearmanConnectionException} that says why.
     */
    public synchronized CompletableFuture<S> session() {
        if (waiters == null) {
            if (current.isDone() && !current.isCompletedExceptionally() && live(current) == null) {
                // Closed, and the close not yet handled: already down, as far as callers are concerned.
                return CompletableFuture.failedFuture(down());
            }
            return current;
        }
        CompletableFuture<S> waiter = new CompletableFuture<>();
        waiters.add(waiter);
        return waiter;
    }

    /** Answers the first attempt's waiters, in order, including any that arrive meanwhile. */
    private void answerWaiters(CompletableFuture<S> outcome) {
        while (true) {
            List<CompletableFuture<S>> batch;
            synchronized (this) {
                batch = waiters;
                if (batch == null) {
                    return;
                }
                if (batch.isEmpty()) {
                    waiters = null;
                    return;
                }
                waiters = new ArrayList<>();
            }
            for (CompletableFuture<S> waiter : batch) {
                outcome.whenComplete((session, error) -> {
                    if (error != null) {
                        waiter.completeExceptionally(error);
                    } else {
                        waiter.complete(session);
                    }
                });
            }
        }
    }

    /** Whether a session is established and its connection open. */
    public synchronized boolean isUp() {
        return live(current) != null;
    }

    private S live(CompletableFuture<S> future) {
        if (!future.isDone() || future.isCompletedExceptionally()) {
            return null;
        }
        S session = future.join();
        return session.connection().isOpen() ? session : null;
    }

    private void connect(CompletableFuture<S> attempt) {
        GearmanConnection.connect(group, server, settings, sessions).whenComplete((session, error) -> {
            if (error == null) {
                connected(attempt, session);
            } else {
                failed(attempt, error);
            }
        });
    }

    private void connected(CompletableFuture<S> attempt, S session) {
        synchronized (this) {
            if (closed) {
                session.connection().close("the client was closed");
                return;
            }
            current = attempt;
            delay = minDelay;
        }
        log.debug("connected to {}", server);
        attempt.complete(session);
        answerWaiters(attempt);
        session.connection().closeFuture().thenRun(this::dropped);
    }

    private void dropped() {
        synchronized (this) {
            if (closed) {
                return;
            }
            current = CompletableFuture.failedFuture(down());
        }
        log.info("connection to {} closed; reconnecting", server);
        schedule(minDelay);
    }

    private GearmanConnectionException down() {
        return new GearmanConnectionException(server.toString(),
                "Gearman server " + server + " is down: the connection closed; reconnecting");
    }

    private void failed(CompletableFuture<S> attempt, Throwable error) {
        GearmanConnectionException cause = error instanceof GearmanConnectionException connection ? connection
                : new GearmanConnectionException(server.toString(), "cannot connect to Gearman server " + server
                        + ": " + Failures.describe(error), error);
        Duration wait;
        synchronized (this) {
            if (closed) {
                return;
            }
            current = CompletableFuture.failedFuture(cause);
            wait = delay;
            delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        }
        log.debug("{}; retrying in {}", cause.getMessage(), wait);
        attempt.completeExceptionally(cause);
        answerWaiters(attempt);
        schedule(wait);
    }

    private void schedule(Duration wait) {
        try {
            group.schedule(() -> {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                }
                // Callers keep failing fast until this attempt succeeds, rather than each waiting on it.
                connect(new CompletableFuture<>());
            }, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("not reconnecting to {}: the event loop is shutting down", server);
        }
    }

    /** Stops reconnecting and closes the live connection, failing whatever waits on it. */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * Stops reconnecting and closes the live connection; the future completes once everything waiting on
     * it has been failed.
     */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<S> last;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            last = current;
            current = CompletableFuture.failedFuture(new GearmanConnectionException(server.toString(),
                    "the connection to " + server + " was closed by its owner"));
        }
        last.completeExceptionally(new GearmanConnectionException(server.toString(),
                "the connection to " + server + " was closed by its owner before it was established"));
        answerWaiters(last);
        S session = live(last);
        if (session == null) {
            return CompletableFuture.completedFuture(null);
        }
        session.connection().close("the client was closed");
        return session.connection().closeFuture();
    }
}
