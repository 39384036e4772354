package dev.gearfarm.gearmand.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.EngineConfig;
import dev.gearfarm.gearmand.net.GearmanServer;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.slf4j.LoggerFactory;

/**
 * Runs an in-process server per test on a free loopback port and closes it, and every connection the
 * test opened, afterwards. Netty's paranoid leak detector reports go to a list that fails the class.
 */
abstract class ServerTestSupport {

    /** The engine settings every test uses unless it starts its own server. */
    static final EngineConfig ENGINE = new EngineConfig("H:test", -1, 0, false, "test");

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                    LEAKS.add(event.getFormattedMessage());
                }
            }
        };
        recorder.start();
        detector.addAppender(recorder);
    }

    private GearmanServer server;
    private final List<WireClient> clients = new ArrayList<>();

    /** The test's server, started with {@link #ENGINE} on first use. */
    GearmanServer server() {
        if (server == null) {
            start(ENGINE);
        }
        return server;
    }

    /** Starts the test's server with other engine settings; call before anything connects. */
    GearmanServer start(EngineConfig engine) {
        return start(config(engine, ServerConfig.forTesting(engine).stalledSeconds()));
    }

    /**
     * {@link ServerConfig#forTesting} with another stalled-connection timeout, and with the I/O thread count
     * from {@code -Dgearmand.test.threads} (default 2, where the engine has its own thread; 1 runs the
     * engine inline on the one I/O thread, the command line's default).
     */
    static ServerConfig config(EngineConfig engine, int stalledSeconds) {
        ServerConfig testing = ServerConfig.forTesting(engine);
        return new ServerConfig(testing.port(), testing.listen(), Integer.getInteger("gearmand.test.threads",
                testing.threads()), testing.backlog(), testing.keepalive(), testing.keepaliveIdle(),
                testing.keepaliveInterval(), testing.keepaliveCount(), stalledSeconds, testing.verbose(),
                testing.limits(), engine);
    }

    /** Starts the test's server with other server settings; call before anything connects. */
    GearmanServer start(ServerConfig config) {
        assertThat(server).as("the test's server is already running").isNull();
        try {
            server = GearmanServer.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return server;
    }

    /** A new connection, registered with the engine by the time this returns. */
    WireClient connect() {
        WireClient client = WireClient.connect(server().port());
        clients.add(client);
        return client.sync();
    }

    /** A new connection that can do {@code functions}. */
    WireClient worker(String... functions) {
        return connect().canDo(functions);
    }

    /** A worker connection that has told the server it is going to sleep. */
    WireClient sleepingWorker(String... functions) {
        WireClient worker = worker(functions);
        worker.send(PacketType.PRE_SLEEP);
        return worker.sync();
    }

    /**
     * One whole packet spelled out: a 4-character magic ({@code "\0REQ"} or {@code "\0RES"}), the type code
     * and the body (ISO-8859-1, NULs written as {@code \0}); the length field is the body's length.
     */
    static byte[] frame(String magic, int type, String body) {
        byte[] bodyBytes = Packet.latin1(body);
        return ByteBuffer.allocate(12 + bodyBytes.length).put(Packet.latin1(magic)).putInt(type)
                .putInt(bodyBytes.length).put(bodyBytes).array();
    }

    /** Retries {@code assertion} until it passes or {@link WireClient#TIMEOUT_MILLIS} have gone. */
    static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + WireClient.TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Polls an admin list command until its reply is exactly {@code expected}. */
    static void awaitList(WireClient admin, String command, String expected) {
        eventually(() -> assertThat(admin.adminList(command)).isEqualTo(expected));
    }

    @AfterEach
    void closeServer() {
        clients.forEach(WireClient::close);
        clients.clear();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @AfterAll
    static void noBufferLeaked() throws InterruptedException {
        // Leaks are found when a collected buffer's reference is polled, which the detector does each
        // time it tracks a new buffer.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        List<String> leaks = List.copyOf(LEAKS);
        LEAKS.clear();
        assertThat(leaks).as("Netty buffer leaks").isEmpty();
    }
}
