package dev.gearfarm.gearman.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanServerException;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import dev.gearfarm.gearman.protocol.ProtocolLimits;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The connection plumbing the client and worker share, with a session that records what it hears. */
@ExtendWith(LeakCheck.class)
@Timeout(20)
class GearmanConnectionTest {
    private static final ConnectionSettings SETTINGS =
            new ConnectionSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 16, ProtocolLimits.DEFAULT);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transport.ioHandlerFactory());
    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Records unsolicited packets and the close; handshake as given. */
    static final class Recording extends Session {
        final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> handshake;

        Recording(GearmanConnection connection, CompletableFuture<Void> handshake) {
            super(connection);
            this.handshake = handshake;
        }

        @Override
        protected CompletableFuture<Void> handshake() {
            return handshake;
        }

        @Override
        protected void onPacket(Packet packet) {
            heard.add(packet);
        }

        @Override
        protected void onClose(GearmanConnectionException cause) {
            heard.add(cause);
        }

        Object next() throws InterruptedException {
            return heard.poll(FakeServer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private Recording connect() throws Exception {
        return GearmanConnection.connect(group, ServerAddress.parse(server.address()), SETTINGS,
                connection -> new Recording(connection, CompletableFuture.completedFuture(null)))
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void packetsThatAnswerNoRequestGoToTheSessionAndRepliesToTheOldestRequest() throws Exception {
        Recording session = connect();
        FakeServer.Connection peer = server.accept();
        CompletableFuture<Packet> echo = session.connection().request(PacketType.ECHO_RES, PacketType.ECHO_REQ, "ping");
        peer.expect(PacketType.ECHO_REQ, "ping");
        // A worker's stray ERROR (for a WORK_COMPLETE the server no longer knows) with nothing pending, then
        // a NOOP, then the echo.
        peer.reply(Packet.response(PacketType.NOOP), Packet.response(PacketType.ECHO_RES, "ping"),
                Packet.response(PacketType.ERROR, "JOB_NOT_FOUND", "Job given in work result not found"));
        assertThat(echo.get(5, TimeUnit.SECONDS)).isEqualTo(Packet.response(PacketType.ECHO_RES, "ping"));
        assertThat(session.next()).isEqualTo(Packet.response(PacketType.NOOP));
        assertThat(session.next()).isEqualTo(
                Packet.response(PacketType.ERROR, "JOB_NOT_FOUND", "Job given in work result not found"));
    }

    @Test
    void sendWritesWithoutWaitingForAReply() throws Exception {
        Recording session = connect();
        FakeServer.Connection peer = server.accept();
        session.connection().send(Packet.request(PacketType.CAN_DO, "resize"));
        session.connection().send(Packet.request(PacketType.PRE_SLEEP));
        peer.expect(PacketType.CAN_DO, "resize");
        peer.expect(PacketType.PRE_SLEEP);
    }

    @Test
    void errorReplyNamesTheServerTheCodeAndTheRequest() throws Exception {
        Recording session = connect();
        FakeServer.Connection peer = server.accept();
        CompletableFuture<Packet> option = session.connection().request(PacketType.OPTION_RES,
                PacketType.OPTION_REQ, "nonsense");
        peer.read();
        peer.reply(PacketType.ERROR, "UNKNOWN_OPTION", "Server does not recognize given option");
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> option.get(5, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(GearmanServerException.class).hasMessage(server.address()
                + " refused OPTION_REQ: UNKNOWN_OPTION (Server does not recognize given option)");
    }

    @Test
    void closeFailsPendingRequestsThenTellsTheSessionOnce() throws Exception {
        Recording session = connect();
        FakeServer.Connection peer = server.accept();
        CompletableFuture<Packet> echo = session.connection().request(PacketType.ECHO_RES, PacketType.ECHO_REQ, "x");
        peer.read();
        peer.close();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> echo.get(5, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(GearmanConnectionException.class).hasMessage(
                "connection to Gearman server " + server.address()
                        + " lost before ECHO_REQ was answered: the server closed the connection");
        assertThat(session.next()).isInstanceOf(GearmanConnectionException.class);
        session.connection().closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(session.heard).isEmpty();
        assertThat(session.connection().isOpen()).isFalse();
    }

    @Test
    void failedHandshakeClosesTheConnectionAndFailsTheConnect() throws Exception {
        CompletableFuture<Void> handshake = new CompletableFuture<>();
        CompletableFuture<Recording> connecting = GearmanConnection.connect(group,
                ServerAddress.parse(server.address()), SETTINGS, connection -> new Recording(connection, handshake));
        FakeServer.Connection peer = server.accept();
        handshake.completeExceptionally(new IllegalStateException("no CAN_DO accepted"));
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> connecting.get(5, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(GearmanConnectionException.class)
                .hasMessage("connection to " + server.address() + " failed its handshake: no CAN_DO accepted");
        assertThat(peer.closedByClient()).isTrue();
    }

    @Test
    void serverAddressesParseWithTheDefaultPort() {
        assertThat(List.of(ServerAddress.parse("gm1"), ServerAddress.parse("gm1:4731"), ServerAddress.parse("[::1]:7003")))
                .containsExactly(new ServerAddress("gm1", 4730), new ServerAddress("gm1", 4731),
                        new ServerAddress("::1", 7003));
        assertThat(ServerAddress.parse("[::1]:7003")).hasToString("[::1]:7003");
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("gm1:x"));
    }
}
