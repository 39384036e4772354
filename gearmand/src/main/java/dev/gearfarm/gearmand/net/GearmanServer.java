package dev.gearfarm.gearmand.net;

import dev.gearfarm.gearman.internal.Transport;
import dev.gearfarm.gearman.protocol.PacketDecoder;
import dev.gearfarm.gearman.protocol.PacketEncoder;
import dev.gearfarm.gearmand.admin.AdminCommands;
import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.Engine;
import dev.gearfarm.gearmand.engine.JobEvents;
import dev.gearfarm.gearmand.store.JobStore;
import dev.gearfarm.gearmand.store.StoreWriter;
import dev.gearfarm.gearmand.store.StoredJob;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running job server: listening sockets, I/O threads and the engine. */
public final class GearmanServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GearmanServer.class);

    private final ServerConfig config;
    private final Engine engine;
    private final StoreWriter storeWriter;
    private final InlineDrain drain;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final List<Channel> listeners = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup("gearmand-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private GearmanServer(ServerConfig config, JobStore store, List<StoredJob> replayed, JobEvents events) {
        this.config = config;
        boolean inline = config.threads() == 1;
        this.engine = new Engine(config.engine(), new AdminCommands(), inline);
        engine.verboseLevel(config.verbose());
        IoHandlerFactory factory = Transport.ioHandlerFactory();
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, factory);
        this.ioGroup = new MultiThreadIoEventLoopGroup(config.threads(), factory);
        this.drain = inline ? new InlineDrain(engine, ioGroup.next()) : null;
        if (inline) {
            engine.ownedBy(ioGroup.next());
        }
        engine.observe(events);
        this.storeWriter = store == null ? null : new StoreWriter(store);
        if (storeWriter != null) {
            // Before the tick below and before any connection: nothing else touches the engine yet.
            engine.useStore(storeWriter, replayed);
        }
        if (inline) {
            // Timers (scheduled jobs, CAN_DO_TIMEOUT) and admin-initiated work need a turn even when no
            // bytes arrive; a 20 ms tick on the one I/O thread gives them one.
            ioGroup.next().scheduleAtFixedRate(engine::runPending, 20, 20, TimeUnit.MILLISECONDS);
        }
    }

    /** Binds every listen address and starts serving, jobs in memory only; throws when a port cannot be bound. */
    public static GearmanServer start(ServerConfig config) throws InterruptedException {
        return start(config, null);
    }

    /**
     * Replays {@code store} (null: memory only), then binds every listen address and starts serving; the
     * server owns the store from here on and closes it. Throws {@link dev.gearfarm.gearmand.store.StoreException}
     * when the store cannot be read, and when a port cannot be bound.
     */
    public static GearmanServer start(ServerConfig config, JobStore store) throws InterruptedException {
        return start(config, store, JobEvents.NONE);
    }

    /** As {@link #start(ServerConfig, JobStore)}, telling {@code events} about every job (for metrics). */
    public static GearmanServer start(ServerConfig config, JobStore store, JobEvents events)
            throws InterruptedException {
        List<StoredJob> replayed = List.of();
        if (store != null) {
            long started = System.nanoTime();
            try {
                replayed = store.replay();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            log.info("persistent queue {}: replayed {} background jobs in {} ms", store.describe(), replayed.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        GearmanServer server = new GearmanServer(config, store, replayed, events);
        try {
            server.bind();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind() throws InterruptedException {
        engine.start(this::stopListening, () -> new Thread(this::close, "gearmand-shutdown").start());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(Transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.keepalive())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        PacketDecoder decoder = new PacketDecoder(config.limits());
                        channel.pipeline()
                                .addLast(new IdleStateHandler(config.stalledSeconds(), 0, 0, TimeUnit.SECONDS))
                                .addLast(decoder)
                                .addLast(PacketEncoder.INSTANCE)
                                .addLast(new ConnectionHandler(engine, drain, connectionIds.incrementAndGet(), decoder));
                    }
                });
        if (config.keepalive() && Transport.isNative()) {
            bootstrap.childOption(EpollChannelOption.TCP_KEEPIDLE, config.keepaliveIdle())
                    .childOption(EpollChannelOption.TCP_KEEPINTVL, config.keepaliveInterval())
                    .childOption(EpollChannelOption.TCP_KEEPCNT, config.keepaliveCount())
                    // Keepalive probes wait while sent data is unacknowledged, so a peer that vanished just
                    // after a JOB_ASSIGN was sent would hold its job for the kernel's retransmission time
                    // (about 15 minutes); the user timeout drops it within the keepalive budget instead.
                    .childOption(EpollChannelOption.TCP_USER_TIMEOUT, 1000
                            * (config.keepaliveIdle() + config.keepaliveInterval() * config.keepaliveCount()));
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (config.listen().isEmpty()) {
            addresses.add(new InetSocketAddress(config.port()));
        } else {
            for (String host : config.listen()) {
                addresses.add(new InetSocketAddress(host, config.port()));
            }
        }
        for (InetSocketAddress address : addresses) {
            Channel channel = bootstrap.bind(address).sync().channel();
            listeners.add(channel);
            log.info("listening on {}", channel.localAddress());
        }
    }

    /** The port of the first listening socket (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    /**
     * Answers {@code question} on the engine thread, where job state may be read; for metrics and health
     * checks. Any thread.
     */
    public <T> CompletableFuture<T> inspect(Function<Engine, T> question) {
        return engine.inspect(question);
    }

    /** Blocks until the server has stopped. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    private void stopListening() {
        for (Channel channel : listeners) {
            channel.close();
        }
    }

    /** Stops listening, closes every connection and stops the engine. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopListening();
        // Closing each connection through its own event loop runs after the writes already queued there
        // (an admin's OK, a last WORK_COMPLETE); shutting the loops down first could drop them.
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(50, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        engine.stop();
        if (storeWriter != null) {
            // After the engine: it queues no more writes, and the removes it queued get written.
            storeWriter.close();
        }
        terminated.countDown();
        log.info("stopped");
    }
}
