package dev.gearfarm.gearman.protocol;

import static dev.gearfarm.gearman.protocol.Wire.concat;
import static dev.gearfarm.gearman.protocol.Wire.drain;
import static dev.gearfarm.gearman.protocol.Wire.header;
import static dev.gearfarm.gearman.protocol.Wire.inbound;
import static dev.gearfarm.gearman.protocol.Wire.outbound;
import static dev.gearfarm.gearman.protocol.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PacketEncoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(PacketEncoder.INSTANCE);

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    /** Bytes with a NUL every seventh byte, so a last argument shows it keeps its NULs. */
    private static byte[] dataWithNuls(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = i % 7 == 0 ? 0 : (byte) ('a' + i % 26);
        }
        return data;
    }

    @ParameterizedTest
    @EnumSource(ProtocolExample.class)
    void encodesEachProtocolExampleAsOneBuffer(ProtocolExample example) {
        channel.writeOutbound(example.packet);

        List<ByteBuf> buffers = outbound(channel);
        assertThat(buffers).hasSize(1);
        assertThat(drain(buffers)).isEqualTo(example.bytes);
    }

    @ParameterizedTest
    @EnumSource(ProtocolExample.class)
    void encodesEachProtocolExampleIntoGivenBuffer(ProtocolExample example) {
        ByteBuf buffer = Unpooled.buffer();

        PacketEncoder.encode(example.packet, buffer);

        assertThat(drain(List.of(buffer))).isEqualTo(example.bytes);
    }

    @Test
    void writesMegabyteLastArgumentWithoutCopyingIt() {
        byte[] data = dataWithNuls(1024 * 1024);

        channel.writeOutbound(Packet.request(PacketType.WORK_COMPLETE, "H:lap:1", data));

        List<ByteBuf> buffers = outbound(channel);
        assertThat(buffers).anySatisfy(buffer -> {
            assertThat(buffer.hasArray()).isTrue();
            assertThat(buffer.array()).isSameAs(data);
            assertThat(buffer.arrayOffset() + buffer.readerIndex()).isZero();
            assertThat(buffer.readableBytes()).isEqualTo(data.length);
        });
        assertThat(drain(buffers)).isEqualTo(concat(
                header(Magic.REQ.code(), PacketType.WORK_COMPLETE.code(), 8 + data.length), text("H:lap:1\0"), data));
    }

    @ParameterizedTest
    @ValueSource(ints = {PacketEncoder.WRAP_THRESHOLD - 1, PacketEncoder.WRAP_THRESHOLD})
    void wrapsLastArgumentFromThresholdOn(int length) {
        byte[] data = dataWithNuls(length);

        channel.writeOutbound(Packet.response(PacketType.ECHO_RES, data));

        List<ByteBuf> buffers = outbound(channel);
        boolean wrapped = buffers.stream().anyMatch(buffer -> buffer.hasArray() && buffer.array() == data);
        assertThat(wrapped).isEqualTo(length >= PacketEncoder.WRAP_THRESHOLD);
        assertThat(drain(buffers)).isEqualTo(concat(
                header(Magic.RES.code(), PacketType.ECHO_RES.code(), length), data));
    }

    static Stream<Arguments> everyTypeInEveryDirection() {
        List<Arguments> cases = new ArrayList<>();
        for (PacketType type : PacketType.values()) {
            for (Magic magic : Magic.values()) {
                boolean allowed = magic == Magic.REQ ? type.isRequest() : type.isResponse();
                if (allowed) {
                    cases.add(Arguments.of(magic, type, 5));
                    cases.add(Arguments.of(magic, type, PacketEncoder.WRAP_THRESHOLD + 1));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}, last argument {2} bytes")
    @MethodSource("everyTypeInEveryDirection")
    void roundTripsThroughDecoder(Magic magic, PacketType type, int lastLength) {
        List<byte[]> args = new ArrayList<>();
        for (int i = 0; i < type.argCount() - 1; i++) {
            args.add(text("arg" + i));
        }
        if (type.argCount() > 0) {
            args.add(dataWithNuls(lastLength));
        }
        Packet packet = new Packet(magic, type, args);
        EmbeddedChannel decoding = new EmbeddedChannel(new PacketDecoder());

        channel.writeOutbound(packet);
        for (ByteBuf buffer : outbound(channel)) {
            decoding.writeInbound(buffer);
        }

        assertThat(inbound(decoding)).containsExactly(packet);
        assertThat(decoding.finishAndReleaseAll()).isFalse();
    }
}
