package dev.gearfarm.gearman.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Hand-built wire bytes and channel draining shared by the codec tests. */
final class Wire {

    private Wire() {
    }

    /** Bytes from a hex dump such as {@code "00 52 45 51"}; spaces are ignored. */
    static byte[] hex(String dump) {
        return HexFormat.of().parseHex(dump.replace(" ", ""));
    }

    /** Bytes of text, one per char, so {@code "\0"} is a NUL byte. */
    static byte[] text(String text) {
        return Packet.latin1(text);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A 12-byte header from raw wire values, including ones no valid packet has. */
    static byte[] header(int magic, int type, long bodyLength) {
        return ByteBuffer.allocate(PacketDecoder.HEADER_LENGTH)
                .putInt(magic).putInt(type).putInt((int) bodyLength).array();
    }

    /** A whole packet whose declared length is the body's, as a well-behaved peer sends it. */
    static byte[] packet(Magic magic, PacketType type, String body) {
        return concat(header(magic.code(), type.code(), body.length()), text(body));
    }

    /** Every message the decoder has emitted so far, in order. None of them is reference-counted. */
    static List<Object> inbound(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            messages.add(message);
        }
        return messages;
    }

    /** Every buffer the encoder has written so far, in order; the caller must release them. */
    static List<ByteBuf> outbound(EmbeddedChannel channel) {
        List<ByteBuf> buffers = new ArrayList<>();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            buffers.add((ByteBuf) message);
        }
        return buffers;
    }

    /** The bytes of {@code buffers} end to end; releases each buffer. */
    static byte[] drain(List<ByteBuf> buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buffer : buffers) {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(buffer.readerIndex(), bytes);
            out.writeBytes(bytes);
            buffer.release();
        }
        return out.toByteArray();
    }
}
