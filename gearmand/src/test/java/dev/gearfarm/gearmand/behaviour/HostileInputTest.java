package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.ECHO_REQ;
import static dev.gearfarm.gearman.protocol.PacketType.ECHO_RES;
import static dev.gearfarm.gearman.protocol.PacketType.ERROR;
import static dev.gearfarm.gearman.protocol.PacketType.GRAB_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_ASSIGN;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_CREATED;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.Packet;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input no Gearman peer sends: the offender gets an ERROR and is disconnected, or is disconnected for
 * stalling, and every other connection carries on.
 */
class HostileInputTest extends ServerTestSupport {

    @Test
    void badMagicGetsAnErrorAndTheConnectionIsClosed() {
        WireClient bystander = connect();
        WireClient hostile = connect();

        hostile.write(header(0x00424144, 7, 0));
        Packet error = hostile.expect(ERROR);
        assertThat(error.argString(0)).isEqualTo("INVALID_MAGIC");
        assertThat(error.argString(1)).contains("0x00424144");
        assertThat(hostile.awaitClose()).isEmpty();
        bystander.sync();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 43, 99, -1})
    void unknownPacketTypeGetsAnErrorAndTheConnectionIsClosed(int type) {
        WireClient bystander = connect();
        WireClient hostile = connect();

        hostile.write(header(0x00524551, type, 0));
        Packet error = hostile.expect(ERROR);
        assertThat(error.argString(0)).isEqualTo("INVALID_COMMAND");
        assertThat(error.argString(1)).contains(Integer.toUnsignedString(type));
        assertThat(hostile.awaitClose()).isEmpty();
        bystander.sync();
    }

    @Test
    void bodyLengthOf2To31GetsAnErrorAndTheConnectionIsClosed() {
        WireClient bystander = connect();
        WireClient hostile = connect();

        hostile.write(header(0x00524551, 7, 0x8000_0000));
        Packet error = hostile.expect(ERROR);
        assertThat(error.argString(0)).isEqualTo("ARGUMENT_TOO_LARGE");
        assertThat(error.argString(1)).contains("2147483648");
        assertThat(hostile.awaitClose()).isEmpty();
        bystander.sync();
    }

    @Test
    void tenMegabyteTextLineWithoutNewlineGetsAnErrorAndTheConnectionIsClosed() throws Exception {
        WireClient bystander = connect();
        WireClient hostile = connect();

        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
            try {
                for (int sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
                    hostile.write(chunk);
                }
            } catch (UncheckedIOException expected) {
                // the server hung up mid-flood
            }
        });
        Packet error = hostile.expect(ERROR);
        assertThat(error.argString(0)).isEqualTo("ARGUMENT_TOO_LARGE");
        assertThat(error.argString(1)).contains("8192");
        assertThat(hostile.awaitClose()).isEmpty();
        flood.get(10, TimeUnit.SECONDS);
        bystander.sync();
        assertThat(bystander.admin("version")).isEqualTo("OK test\n");
    }

    @Test
    void senderThatStallsMidPacketIsClosedButAnIdleConnectionIsKept() {
        start(config(ENGINE, 1));
        WireClient idle = connect();
        WireClient halfHeader = connect();
        WireClient halfBody = connect();
        WireClient halfLine = connect();

        long start = System.nanoTime();
        halfHeader.write(Arrays.copyOf(header(0x00524551, 16, 4), 6));
        halfBody.write(Arrays.copyOf(frame("\0REQ", 16, "abcd"), 14));
        halfLine.writeText("stat");
        assertThat(halfHeader.awaitClose()).isEmpty();
        assertThat(halfBody.awaitClose()).isEmpty();
        assertThat(halfLine.awaitClose()).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 4_000L);
        idle.sync();
    }

    @Test
    void packetDeliveredOneByteAtATimeIsStillOnePacket() {
        WireClient client = connect();
        byte[] submit = frame("\0REQ", 7, "fn\0u\0data");

        for (byte b : submit) {
            client.write(new byte[] {b});
        }
        client.expect(JOB_CREATED, "H:test:1");
    }

    @Test
    void tenMegabyteEchoRoundTrips() {
        WireClient client = connect();
        byte[] payload = new byte[10 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }

        client.send(ECHO_REQ, payload);
        assertThat(client.expect(ECHO_RES).arg(0)).isEqualTo(payload);
    }

    @Test
    void largeJobDataReachesTheWorkerIntact() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        byte[] data = new byte[3 * 1024 * 1024];
        Arrays.fill(data, (byte) 0);

        client.send(SUBMIT_JOB, "fn", "", data);
        String handle = client.expect(JOB_CREATED).argString(0);
        worker.send(GRAB_JOB);
        Packet assign = worker.expect(JOB_ASSIGN);
        assertThat(assign.argString(0)).isEqualTo(handle);
        assertThat(assign.arg(2)).isEqualTo(data);
    }

    private static byte[] header(int magic, int type, int length) {
        return ByteBuffer.allocate(12).putInt(magic).putInt(type).putInt(length).array();
    }
}
