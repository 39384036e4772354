package dev.gearfarm.gearman.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames the bytes of one Gearman connection into {@link Packet}s and {@link AdminLine}s.
 *
 * <p>Like the C server it decides per packet: a first byte of {@code \0} starts a 12-byte binary header,
 * anything else starts a text line ending in {@code \n}. Every length read from the wire is checked
 * against {@link ProtocolLimits} before any byte is buffered for it. Malformed input is reported as a
 * {@link DecodeFailure} message rather than thrown; after a fatal one the rest of the stream is discarded.
 * Arguments are parsed within the declared body length only, so a packet with too few NULs cannot
 * swallow the next one (the C server's {@code memchr} over its whole buffer does).
 */
public final class PacketDecoder extends ByteToMessageDecoder {

    /** Bytes in a binary packet header: magic, type, body length. */
    public static final int HEADER_LENGTH = 12;

    private enum State { START, BODY, DISCARD }

    private final ProtocolLimits limits;
    private State state = State.START;
    private Magic magic;
    private PacketType type;
    private int bodyLength;

    /** A decoder with the default limits. */
    public PacketDecoder() {
        this(ProtocolLimits.DEFAULT);
    }

    /** A decoder enforcing {@code limits}. */
    public PacketDecoder(ProtocolLimits limits) {
        this.limits = limits;
    }

    /** Whether part of a packet or line has arrived and the rest has not; used to spot stalled senders. */
    public boolean isMidFrame() {
        return state == State.BODY || (state == State.START && actualReadableBytes() > 0);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case START -> decodeStart(in, out);
            case BODY -> decodeBody(in, out);
            case DISCARD -> in.skipBytes(in.readableBytes());
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void decodeStart(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        if (in.getByte(start) != 0) {
            decodeLine(in, out);
            return;
        }
        if (in.readableBytes() < HEADER_LENGTH) {
            return;
        }
        int magicCode = in.getInt(start);
        Magic packetMagic = Magic.fromCode(magicCode);
        if (packetMagic == null) {
            fail(in, out, "INVALID_MAGIC", String.format(
                    "bad packet magic 0x%08x; expected \\0REQ (0x00524551) or \\0RES (0x00524553)", magicCode));
            return;
        }
        int typeCode = in.getInt(start + 4);
        PacketType packetType = PacketType.fromCode(typeCode);
        if (packetType == null) {
            fail(in, out, "INVALID_COMMAND", "unknown packet type " + Integer.toUnsignedString(typeCode)
                    + "; known types are 1-" + PacketType.MAX_CODE);
            return;
        }
        long length = in.getUnsignedInt(start + 8);
        if (length > limits.maxPacketSize()) {
            fail(in, out, "ARGUMENT_TOO_LARGE", packetType + " body of " + length
                    + " bytes is over the " + limits.maxPacketSize() + "-byte packet limit");
            return;
        }
        in.skipBytes(HEADER_LENGTH);
        magic = packetMagic;
        type = packetType;
        bodyLength = (int) length;
        state = State.BODY;
        decodeBody(in, out);
    }

    private void decodeBody(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < bodyLength) {
            return;
        }
        int start = in.readerIndex();
        int end = start + bodyLength;
        int argCount = type.argCount();
        Object message;
        if (argCount == 0) {
            // The C server ignores a body on argument-less packets; so do we.
            message = new Packet(magic, type, List.of());
        } else {
            byte[][] args = new byte[argCount][];
            int position = start;
            int found = 0;
            for (int i = 0; i < argCount - 1 && position >= 0; i++) {
                int nul = in.indexOf(position, end, (byte) 0);
                if (nul < 0) {
                    position = -1;
                } else {
                    args[found++] = ByteBufUtil.getBytes(in, position, nul - position);
                    position = nul + 1;
                }
            }
            if (position < 0) {
                message = new DecodeFailure("INVALID_ARGUMENT", type + " needs " + argCount
                        + " NUL-separated arguments; its " + bodyLength + "-byte body has only " + found
                        + " NUL" + (found == 1 ? "" : "s"), false);
            } else {
                args[found] = ByteBufUtil.getBytes(in, position, end - position);
                message = new Packet(magic, type, List.of(args));
            }
        }
        in.skipBytes(bodyLength);
        state = State.START;
        magic = null;
        type = null;
        out.add(message);
    }

    private void decodeLine(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int searchEnd = start + Math.min(in.readableBytes(), limits.maxLineLength() + 2);
        int newline = in.indexOf(start, searchEnd, (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > limits.maxLineLength() + 1) {
                fail(in, out, "ARGUMENT_TOO_LARGE", "admin text line is over the "
                        + limits.maxLineLength() + "-byte limit");
            }
            return;
        }
        int length = newline - start;
        if (length > 0 && in.getByte(newline - 1) == '\r') {
            length--;
        }
        if (length > limits.maxLineLength()) {
            fail(in, out, "ARGUMENT_TOO_LARGE", "admin text line is over the "
                    + limits.maxLineLength() + "-byte limit");
            return;
        }
        String text = in.toString(start, length, StandardCharsets.ISO_8859_1);
        in.readerIndex(newline + 1);
        out.add(new AdminLine(text));
    }

    private void fail(ByteBuf in, List<Object> out, String code, String message) {
        state = State.DISCARD;
        in.skipBytes(in.readableBytes());
        out.add(new DecodeFailure(code, message, true));
    }
}
