package dev.gearfarm.gearman.protocol;

import static dev.gearfarm.gearman.protocol.Wire.concat;
import static dev.gearfarm.gearman.protocol.Wire.header;
import static dev.gearfarm.gearman.protocol.Wire.hex;
import static dev.gearfarm.gearman.protocol.Wire.inbound;
import static dev.gearfarm.gearman.protocol.Wire.packet;
import static dev.gearfarm.gearman.protocol.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {

    private static final ProtocolLimits SMALL_LIMITS = new ProtocolLimits(1024, 16);

    /** Binary packets and admin lines interleaved on one connection, as gearadmin and workers share a port. */
    private static final byte[] MIXED_STREAM = concat(
            ProtocolExample.CAN_DO_REVERSE.bytes,
            text("status\n"),
            ProtocolExample.SUBMIT_JOB_WITH_EMPTY_UNIQUE.bytes,
            text("workers\r\n"),
            packet(Magic.REQ, PacketType.ECHO_REQ, "ping\0\0pong\0"),
            text("version\n"),
            ProtocolExample.JOB_ASSIGN.bytes,
            hex("00 52 45 51 00 00 00 09 00 00 00 00"));

    private static final List<Object> MIXED_MESSAGES = List.of(
            ProtocolExample.CAN_DO_REVERSE.packet,
            new AdminLine("status"),
            ProtocolExample.SUBMIT_JOB_WITH_EMPTY_UNIQUE.packet,
            new AdminLine("workers"),
            Packet.request(PacketType.ECHO_REQ, "ping\0\0pong\0"),
            new AdminLine("version"),
            ProtocolExample.JOB_ASSIGN.packet,
            Packet.request(PacketType.GRAB_JOB));

    private PacketDecoder decoder = new PacketDecoder();
    private EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    private void useLimits(ProtocolLimits limits) {
        channel.finishAndReleaseAll();
        decoder = new PacketDecoder(limits);
        channel = new EmbeddedChannel(decoder);
    }

    private void feed(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private void feedOneByteAtATime(byte[] bytes) {
        for (byte b : bytes) {
            feed(new byte[] {b});
        }
    }

    /** Feeds one byte at a time until the decoder emits something; returns how many bytes that took, or -1. */
    private int bytesFedUntilFirstMessage(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            feed(new byte[] {bytes[i]});
            if (!channel.inboundMessages().isEmpty()) {
                return i + 1;
            }
        }
        return -1;
    }

    private static byte[] repeat(char c, int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    /** Asserts the one message so far is a fatal failure with {@code code}, then that later bytes vanish. */
    private void assertFatalThenDiscards(String code) {
        assertThat(inbound(channel)).singleElement().isInstanceOfSatisfying(DecodeFailure.class, failure -> {
            assertThat(failure.code()).isEqualTo(code);
            assertThat(failure.fatal()).isTrue();
        });
        feed(MIXED_STREAM);
        feedOneByteAtATime(ProtocolExample.WORK_COMPLETE.bytes);
        assertThat(inbound(channel)).isEmpty();
        assertThat(decoder.isMidFrame()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ProtocolExample.class)
    void decodesEachProtocolExample(ProtocolExample example) {
        feed(example.bytes);

        assertThat(inbound(channel)).containsExactly(example.packet);
        assertThat(decoder.isMidFrame()).isFalse();
    }

    @Test
    void decodesMixedStreamInOrderWhenFedWhole() {
        feed(MIXED_STREAM);

        assertThat(inbound(channel)).containsExactlyElementsOf(MIXED_MESSAGES);
    }

    @Test
    void decodesMixedStreamInOrderWhenFedOneByteAtATime() {
        feedOneByteAtATime(MIXED_STREAM);

        assertThat(inbound(channel)).containsExactlyElementsOf(MIXED_MESSAGES);
        assertThat(decoder.isMidFrame()).isFalse();
    }

    @Test
    void decodesMixedStreamInOrderWhenSplitIntoTwoWritesAtEveryOffset() {
        for (int offset = 0; offset <= MIXED_STREAM.length; offset++) {
            useLimits(ProtocolLimits.DEFAULT);
            feed(Arrays.copyOfRange(MIXED_STREAM, 0, offset));
            feed(Arrays.copyOfRange(MIXED_STREAM, offset, MIXED_STREAM.length));

            assertThat(inbound(channel)).as("split at offset %d", offset).containsExactlyElementsOf(MIXED_MESSAGES);
            assertThat(decoder.isMidFrame()).as("split at offset %d", offset).isFalse();
        }
    }

    @Test
    void keepsEmbeddedNulsInLastArgument() {
        feed(packet(Magic.RES, PacketType.WORK_DATA, "H:lap:1\0\0a\0b\0"));

        Packet packet = (Packet) channel.readInbound();
        assertThat(packet.arg(0)).isEqualTo(text("H:lap:1"));
        assertThat(packet.arg(1)).isEqualTo(new byte[] {0, 'a', 0, 'b', 0});
    }

    @Test
    void decodesEmptyArguments() {
        feed(concat(
                packet(Magic.REQ, PacketType.SUBMIT_JOB_BG, "\0\0"),
                packet(Magic.REQ, PacketType.WORK_COMPLETE, "H:lap:1\0"),
                packet(Magic.REQ, PacketType.ECHO_REQ, "")));

        assertThat(inbound(channel)).containsExactly(
                Packet.request(PacketType.SUBMIT_JOB_BG, "", "", ""),
                Packet.request(PacketType.WORK_COMPLETE, "H:lap:1", ""),
                Packet.request(PacketType.ECHO_REQ, ""));
    }

    @Test
    void decodesZeroArgumentPackets() {
        feed(concat(hex("00 52 45 53 00 00 00 06 00 00 00 00"), hex("00 52 45 51 00 00 00 09 00 00 00 00")));

        assertThat(inbound(channel)).containsExactly(
                Packet.response(PacketType.NOOP), Packet.request(PacketType.GRAB_JOB));
        assertThat(decoder.isMidFrame()).isFalse();
    }

    @Test
    void ignoresBodyOfZeroArgumentPacket() {
        feed(concat(packet(Magic.REQ, PacketType.GRAB_JOB, "junk\0with\0nuls"), ProtocolExample.CAN_DO_REVERSE.bytes));

        assertThat(inbound(channel)).containsExactly(
                Packet.request(PacketType.GRAB_JOB), ProtocolExample.CAN_DO_REVERSE.packet);
    }

    @Test
    void reportsTooFewNulsAsNonFatalAndDecodesNextPacket() {
        // The three-NUL SUBMIT_REDUCE_JOB_BACKGROUND of PROTOCOL desynchronises the C server (gearman-notes §1.2, 37).
        feed(concat(
                packet(Magic.REQ, PacketType.SUBMIT_REDUCE_JOB_BACKGROUND, "reverse\0uniq\0reducer\0data"),
                ProtocolExample.WORK_COMPLETE.bytes));

        List<Object> messages = inbound(channel);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isInstanceOfSatisfying(DecodeFailure.class, failure -> {
            assertThat(failure.code()).isEqualTo("INVALID_ARGUMENT");
            assertThat(failure.fatal()).isFalse();
            assertThat(failure.message()).contains("SUBMIT_REDUCE_JOB_BACKGROUND", "5", "3 NULs");
        });
        assertThat(messages.get(1)).isEqualTo(ProtocolExample.WORK_COMPLETE.packet);
    }

    @Test
    void looksForNulsOnlyWithinDeclaredBody() {
        // No NUL in the body, but the next packet's header starts with one: it must not be taken as a separator.
        feedOneByteAtATime(concat(
                packet(Magic.REQ, PacketType.SUBMIT_JOB, "reverse"),
                ProtocolExample.SUBMIT_JOB_WITH_EMPTY_UNIQUE.bytes));

        List<Object> messages = inbound(channel);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isInstanceOfSatisfying(DecodeFailure.class,
                failure -> assertThat(failure.fatal()).isFalse());
        assertThat(messages.get(1)).isEqualTo(ProtocolExample.SUBMIT_JOB_WITH_EMPTY_UNIQUE.packet);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00524558, 0x00000000, 0x00474554})
    void failsFatallyOnBadMagic(int magic) {
        feed(concat(header(magic, PacketType.CAN_DO.code(), 7), text("reverse"), ProtocolExample.CAN_DO_REVERSE.bytes));

        assertThat(channel.inboundMessages()).singleElement().isInstanceOfSatisfying(DecodeFailure.class,
                failure -> assertThat(failure.message()).contains(String.format("0x%08x", magic)));
        assertFatalThenDiscards("INVALID_MAGIC");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 43, 99, 0xFFFFFFFF})
    void failsFatallyOnUnknownPacketType(int type) {
        feed(concat(header(Magic.REQ.code(), type, 4), text("data"), ProtocolExample.CAN_DO_REVERSE.bytes));

        assertThat(channel.inboundMessages()).singleElement().isInstanceOfSatisfying(DecodeFailure.class,
                failure -> assertThat(failure.message()).contains(Integer.toUnsignedString(type)));
        assertFatalThenDiscards("INVALID_COMMAND");
    }

    @ParameterizedTest
    @ValueSource(longs = {1L << 31, 0xFFFFFFFFL, ProtocolLimits.DEFAULT_MAX_PACKET_SIZE + 1L})
    void failsFatallyOnBodyOverPacketLimitBeforeBufferingIt(long length) {
        feed(header(Magic.REQ.code(), PacketType.ECHO_REQ.code(), length));

        assertThat(channel.inboundMessages()).singleElement().isInstanceOfSatisfying(DecodeFailure.class,
                failure -> assertThat(failure.message()).contains(Long.toString(length)));
        assertFatalThenDiscards("ARGUMENT_TOO_LARGE");
    }

    @Test
    void enforcesCustomPacketLimit() {
        useLimits(SMALL_LIMITS);
        String atLimit = "x".repeat(SMALL_LIMITS.maxPacketSize());
        feed(packet(Magic.REQ, PacketType.ECHO_REQ, atLimit));
        assertThat(inbound(channel)).containsExactly(Packet.request(PacketType.ECHO_REQ, atLimit));

        feed(packet(Magic.REQ, PacketType.ECHO_REQ, atLimit + "x"));
        assertFatalThenDiscards("ARGUMENT_TOO_LARGE");
    }

    @Test
    void acceptsAdminLineOfExactlyMaxLength() {
        useLimits(SMALL_LIMITS);
        String line = "x".repeat(SMALL_LIMITS.maxLineLength());

        feedOneByteAtATime(text(line + "\n" + line + "\r\n"));

        assertThat(inbound(channel)).containsExactly(new AdminLine(line), new AdminLine(line));
    }

    @Test
    void failsFatallyOnAdminLineOverMaxLengthEndingInNewline() {
        useLimits(SMALL_LIMITS);

        feed(text("x".repeat(SMALL_LIMITS.maxLineLength() + 1) + "\nversion\n"));

        assertFatalThenDiscards("ARGUMENT_TOO_LARGE");
    }

    @Test
    void failsFatallyOnUnterminatedAdminLineWithinMaxLengthPlusTwoBytes() {
        int limit = ProtocolLimits.DEFAULT_MAX_LINE_LENGTH;

        int fed = bytesFedUntilFirstMessage(repeat('x', limit + 100));

        assertThat(fed).isBetween(limit + 1, limit + 2);
        assertFatalThenDiscards("ARGUMENT_TOO_LARGE");
    }

    @Test
    void failsFatallyOnLongAdminLineWithNewlineWithinMaxLengthPlusTwoBytes() {
        int limit = ProtocolLimits.DEFAULT_MAX_LINE_LENGTH;

        int fed = bytesFedUntilFirstMessage(concat(repeat('x', limit + 1), text("\n")));

        assertThat(fed).isBetween(limit + 1, limit + 2);
        assertFatalThenDiscards("ARGUMENT_TOO_LARGE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\nversion\n"})
    void rejectsTenMegabyteAdminLineWithoutBufferingIt(String ending) {
        byte[] chunk = repeat('x', 64 * 1024);
        int chunks = 10 * 1024 * 1024 / chunk.length;

        for (int i = 0; i < chunks; i++) {
            ByteBuf buffer = Unpooled.wrappedBuffer(chunk);
            channel.writeInbound(buffer);
            // A buffer still referenced after its write is one the decoder kept as (part of) its cumulation.
            assertThat(buffer.refCnt()).as("references to chunk %d after its write", i).isZero();
            assertThat(channel.inboundMessages()).as("messages after chunk %d", i).hasSize(1);
        }
        feed(text(ending));

        assertFatalThenDiscards("ARGUMENT_TOO_LARGE");
    }

    @ParameterizedTest
    @ValueSource(ints = {ProtocolLimits.MAX_LINE_LENGTH_CAP + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE})
    void refusesLineLimitsTooLargeToBuffer(int maxLineLength) {
        assertThatThrownBy(() -> new ProtocolLimits(1024, maxLineLength))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLineLength");
    }

    @Test
    void decodesAdminLineUnderLargestLineLimit() {
        useLimits(new ProtocolLimits(1024, ProtocolLimits.MAX_LINE_LENGTH_CAP));

        feed(text("status\n"));

        assertThat(inbound(channel)).containsExactly(new AdminLine("status"));
    }

    static Stream<Arguments> partialInputs() {
        byte[] canDo = ProtocolExample.CAN_DO_REVERSE.bytes;
        return Stream.of(
                Arguments.of("nothing", new byte[0], false),
                Arguments.of("first byte of a header", new byte[] {0}, true),
                Arguments.of("11 of 12 header bytes", Arrays.copyOf(canDo, 11), true),
                Arguments.of("header only", Arrays.copyOf(canDo, 12), true),
                Arguments.of("header and part of body", Arrays.copyOf(canDo, canDo.length - 1), true),
                Arguments.of("whole packet", canDo, false),
                Arguments.of("zero-length body", hex("00 52 45 51 00 00 00 09 00 00 00 00"), false),
                Arguments.of("part of a line", text("stat"), true),
                Arguments.of("line without its \\n", text("status\r"), true),
                Arguments.of("whole line", text("status\n"), false),
                Arguments.of("packet with too few NULs", packet(Magic.REQ, PacketType.SUBMIT_JOB, "x"), false),
                Arguments.of("whole packet then part of a line", concat(canDo, text("st")), true),
                Arguments.of("whole line then part of a header", text("status\n\0RE"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partialInputs")
    void reportsMidFrameOnlyWhileAFrameIsIncomplete(String description, byte[] input, boolean midFrame) {
        feedOneByteAtATime(input);

        assertThat(decoder.isMidFrame()).isEqualTo(midFrame);
    }
}
