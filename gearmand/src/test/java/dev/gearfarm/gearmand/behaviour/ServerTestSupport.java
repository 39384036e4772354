package dev.gearfarm.gearmand.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.internal.LeakCheck;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.EngineConfig;
import dev.gearfarm.gearmand.engine.JobEvents;
import dev.gearfarm.gearmand.net.GearmanServer;
import dev.gearfarm.gearmand.store.JobStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs an in-process server per test on a free loopback port and closes it, and every connection the
 * test opened, afterwards. {@link LeakCheck} fails the class when Netty's paranoid detector saw a leak.
 */
@ExtendWith(LeakCheck.class)
abstract class ServerTestSupport {

    /** The engine settings every test uses unless it starts its own server. */
    static final EngineConfig ENGINE = new EngineConfig("H:test", -1, 0, false, "test");

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
        return start(config, null);
    }

    /** Starts the test's server with a persistent queue ({@link #ENGINE} settings). */
    GearmanServer start(JobStore store) {
        return start(config(ENGINE, ServerConfig.forTesting(ENGINE).stalledSeconds()), store);
    }

    /** Stops the test's server and the connections to it, so that the test can start another. */
    void restart() {
        closeServer();
    }

    /** Starts the test's server ({@link #ENGINE} settings) telling {@code events} about every job. */
    GearmanServer start(JobEvents events) {
        return start(config(ENGINE, ServerConfig.forTesting(ENGINE).stalledSeconds()), null, events);
    }

    private GearmanServer start(ServerConfig config, JobStore store) {
        return start(config, store, JobEvents.NONE);
    }

    private GearmanServer start(ServerConfig config, JobStore store, JobEvents events) {
        assertThat(server).as("the test's server is already running").isNull();
        try {
            server = GearmanServer.start(config, store, events);
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

}
