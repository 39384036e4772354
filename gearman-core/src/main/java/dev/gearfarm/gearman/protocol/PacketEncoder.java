package dev.gearfarm.gearman.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Packet}s. Small packets go out as one buffer; a large last argument (the job data) is
 * wrapped rather than copied and written after a buffer holding the header and the other arguments.
 */
@Sharable
public final class PacketEncoder extends MessageToMessageEncoder<Packet> {

    /** Last-argument size from which the encoder wraps instead of copying. */
    public static final int WRAP_THRESHOLD = 2048;

    /** The encoder holds no state, so one instance serves every channel. */
    public static final PacketEncoder INSTANCE = new PacketEncoder();

    private PacketEncoder() {
        super(Packet.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet packet, List<Object> out) {
        List<byte[]> args = packet.args();
        int bodyLength = packet.bodyLength();
        byte[] last = args.isEmpty() ? null : args.get(args.size() - 1);
        boolean wrapLast = last != null && last.length >= WRAP_THRESHOLD;
        int copied = PacketDecoder.HEADER_LENGTH + bodyLength - (wrapLast ? last.length : 0);
        ByteBuf head = ctx.alloc().ioBuffer(copied);
        writeHeader(head, packet, bodyLength);
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                head.writeByte(0);
            }
            if (!(wrapLast && i == args.size() - 1)) {
                head.writeBytes(args.get(i));
            }
        }
        out.add(head);
        if (wrapLast) {
            out.add(Unpooled.wrappedBuffer(last));
        }
    }

    /** Appends the whole packet to {@code buffer}, copying; for tests and small control packets. */
    public static void encode(Packet packet, ByteBuf buffer) {
        writeHeader(buffer, packet, packet.bodyLength());
        List<byte[]> args = packet.args();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                buffer.writeByte(0);
            }
            buffer.writeBytes(args.get(i));
        }
    }

    private static void writeHeader(ByteBuf buffer, Packet packet, int bodyLength) {
        buffer.writeInt(packet.magic().code());
        buffer.writeInt(packet.type().code());
        buffer.writeInt(bodyLength);
    }
}
