package dev.gearfarm.gearman.internal;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.GearmanServerException;
import dev.gearfarm.gearman.GearmanTimeoutException;
import dev.gearfarm.gearman.RequestQueueFullException;
import dev.gearfarm.gearman.protocol.DecodeFailure;
import dev.gearfarm.gearman.protocol.Magic;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketDecoder;
import dev.gearfarm.gearman.protocol.PacketEncoder;
import dev.gearfarm.gearman.protocol.PacketType;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a job server, with the packet codec and a bounded FIFO of requests waiting for
 * their replies.
 *
 * <p>Gearman replies carry no request id: a server answers a connection's requests in the order they
 * arrived, so the first reply belongs to the oldest pending request. The queue is touched only on the
 * channel's event loop, and a request is queued and written in the same event-loop task, so queue order
 * is wire order. Admission is counted with an atomic so a full queue is refused on the caller's thread at
 * once. When the connection closes, every pending request fails with an exception naming the server.
 * A reply that the oldest request cannot take means the two sides are out of step, and closes the
 * connection rather than hand a reply to the wrong request.
 */
public final class GearmanConnection {
    private static final Logger log = LoggerFactory.getLogger(GearmanConnection.class);

    /** Packet types that answer a request; every other response type is unsolicited. */
    private static final Set<PacketType> REPLIES = EnumSet.of(PacketType.JOB_CREATED, PacketType.STATUS_RES,
            PacketType.STATUS_RES_UNIQUE, PacketType.ECHO_RES, PacketType.OPTION_RES, PacketType.ERROR,
            PacketType.NO_JOB, PacketType.JOB_ASSIGN, PacketType.JOB_ASSIGN_UNIQ, PacketType.JOB_ASSIGN_ALL);

    private final ServerAddress server;
    private final ConnectionSettings settings;
    private final Channel channel;
    private final Session session;
    private final AtomicInteger admitted = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // Event loop only.
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    private String closeReason;
    private GearmanConnectionException closedBecause;

    private record Pending(Request request, long deadline) {
    }

    private GearmanConnection(ServerAddress server, ConnectionSettings settings, Channel channel,
            Function<GearmanConnection, ? extends Session> sessions) {
        this.server = server;
        this.settings = settings;
        this.channel = channel;
        this.session = sessions.apply(this);
    }

    /**
     * Connects to {@code server} on one of {@code group}'s event loops and runs the session's handshake.
     * The future fails with a {@link GearmanConnectionException} naming the server when either fails.
     */
    public static <S extends Session> CompletableFuture<S> connect(EventLoopGroup group, ServerAddress server,
            ConnectionSettings settings, Function<GearmanConnection, S> sessions) {
        CompletableFuture<GearmanConnection> connected = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        GearmanConnection connection = new GearmanConnection(server, settings, channel, sessions);
                        channel.pipeline()
                                .addLast(new FlushConsolidationHandler(
                                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                                .addLast(new PacketDecoder(settings.limits()))
                                .addLast(PacketEncoder.INSTANCE)
                                .addLast(connection.new Handler());
                        connected.complete(connection);
                    }
                });
        CompletableFuture<S> ready = new CompletableFuture<>();
        bootstrap.connect(server.host(), server.port()).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                ready.completeExceptionally(new GearmanConnectionException(server.toString(),
                        "cannot connect to Gearman server " + server + ": " + Failures.describe(future.cause()),
                        future.cause()));
                return;
            }
            GearmanConnection connection = connected.getNow(null);
            @SuppressWarnings("unchecked")
            S session = (S) connection.session;
            session.handshake().whenComplete((ignored, error) -> {
                if (error == null) {
                    ready.complete(session);
                } else {
                    connection.close("handshake failed: " + Failures.describe(error));
                    ready.completeExceptionally(new GearmanConnectionException(server.toString(),
                            "connection to " + server + " failed its handshake: " + Failures.describe(error), error));
                }
            });
        });
        return ready;
    }

    /** The server this connection goes to. */
    public ServerAddress server() {
        return server;
    }

    /** The event loop that runs this connection's callbacks. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Whether the connection is open. */
    public boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    /** Completes once the connection has closed and every pending request and the session were told. */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /**
     * Queues {@code request} and writes its packet. A full queue fails it at once with a
     * {@link RequestQueueFullException}; a closed connection fails it with a
     * {@link GearmanConnectionException}.
     */
    public void request(Request request) {
        if (admitted.incrementAndGet() > settings.maxPending()) {
            admitted.decrementAndGet();
            request.fail(new RequestQueueFullException(settings.maxPending() + " requests are already waiting for "
                    + "a reply from " + server + "; " + request.packet().type() + " rejected (raise "
                    + "maxPendingPerConnection, or wait for replies)"));
            return;
        }
        runOnLoop(() -> enqueue(request));
    }

    /** Sends {@code type} with {@code args} and completes with the reply of type {@code reply}. */
    public CompletableFuture<Packet> request(PacketType reply, PacketType type, Object... args) {
        CompletableFuture<Packet> future = new CompletableFuture<>();
        Packet packet = Packet.request(type, args);
        request(new Request() {
            @Override
            public Packet packet() {
                return packet;
            }

            @Override
            public boolean accepts(PacketType replyType) {
                return replyType == reply;
            }

            @Override
            public void complete(Packet replyPacket) {
                future.complete(replyPacket);
            }

            @Override
            public void fail(GearmanException cause) {
                future.completeExceptionally(cause);
            }
        });
        return future;
    }

    /** Writes a packet that gets no reply, such as {@code CAN_DO}; a failed write closes the connection. */
    public void send(Packet packet) {
        runOnLoop(() -> {
            if (closedBecause == null) {
                channel.writeAndFlush(packet).addListener(this::closeIfWriteFailed);
            }
        });
    }

    /** Closes the connection; pending requests fail with {@code reason} in their message. */
    public void close(String reason) {
        runOnLoop(() -> {
            if (closeReason == null) {
                closeReason = reason;
            }
            channel.close();
        });
    }

    private void runOnLoop(Runnable task) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void enqueue(Request request) {
        if (closedBecause != null || !channel.isActive()) {
            admitted.decrementAndGet();
            request.fail(lostBefore(request, closeReason != null ? closeReason : "the connection is closed"));
            return;
        }
        long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
        pending.add(new Pending(request, deadline));
        if (timer == null) {
            armTimer(deadline);
        }
        channel.writeAndFlush(request.packet()).addListener(this::closeIfWriteFailed);
    }

    private void closeIfWriteFailed(io.netty.util.concurrent.Future<? super Void> write) {
        if (!write.isSuccess()) {
            close("write failed: " + Failures.describe(write.cause()));
        }
    }

    private void armTimer(long deadline) {
        timer = channel.eventLoop().schedule(this::checkTimeout, Math.max(0, deadline - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    /** One timer watches only the oldest request: later ones were sent later, so expire later. */
    private void checkTimeout() {
        timer = null;
        Pending head = pending.peek();
        if (head == null || closedBecause != null) {
            return;
        }
        if (head.deadline - System.nanoTime() > 0) {
            armTimer(head.deadline);
            return;
        }
        pending.poll();
        admitted.decrementAndGet();
        String reason = server + " did not answer " + head.request.packet().type() + " within "
                + format(settings.responseTimeout());
        head.request.fail(new GearmanTimeoutException(server.toString(), reason + "; closing the connection"));
        close(reason);
    }

    private GearmanConnectionException lostBefore(Request request, String reason) {
        return new GearmanConnectionException(server.toString(), "connection to Gearman server " + server
                + " lost before " + request.packet().type() + " was answered: " + reason);
    }

    private void onReply(Packet reply) {
        Pending head = pending.peek();
        if (reply.type() == PacketType.ERROR && (head == null || !head.request.answeredByError())) {
            // An ERROR may answer a packet that expects no reply (a worker's WORK_COMPLETE for a job
            // the server no longer has); the session decides what it means.
            session.onPacket(reply);
            return;
        }
        if (head == null) {
            close("the server sent " + reply.type() + " but no request was waiting for a reply");
            return;
        }
        pending.poll();
        admitted.decrementAndGet();
        Request request = head.request;
        PacketType sent = request.packet().type();
        if (reply.type() == PacketType.ERROR) {
            request.fail(new GearmanServerException(server.toString(), reply.argString(0), reply.argString(1),
                    sent.name()));
        } else if (request.accepts(reply.type())) {
            request.complete(reply);
        } else {
            String reason = "the server answered " + sent + " with " + reply.type()
                    + "; replies are out of step with requests";
            request.fail(lostBefore(request, reason));
            close(reason);
        }
    }

    private void onClosed() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (closeReason == null) {
            closeReason = "the server closed the connection";
        }
        String reason = closeReason;
        closedBecause = new GearmanConnectionException(server.toString(),
                "connection to Gearman server " + server + " closed: " + reason);
        for (Pending head = pending.poll(); head != null; head = pending.poll()) {
            admitted.decrementAndGet();
            head.request.fail(lostBefore(head.request, reason));
        }
        try {
            session.onClose(closedBecause);
        } finally {
            closed.complete(null);
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (closedBecause != null) {
                return;
            }
            if (message instanceof Packet packet) {
                if (packet.magic() != Magic.RES) {
                    close("the server sent a request packet (" + packet.type() + ")");
                } else if (REPLIES.contains(packet.type())) {
                    onReply(packet);
                } else {
                    session.onPacket(packet);
                }
            } else if (message instanceof DecodeFailure failure) {
                // Even a packet the decoder could skip may have been a reply, and replies are matched by
                // order alone, so any malformed packet ends the connection.
                close("malformed data from the server: " + failure.message());
            } else {
                close("the server sent text where a binary packet was expected: " + message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("{}: connection error", server, cause);
            close(Failures.describe(cause));
        }
    }

    static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
