package dev.gearfarm.gearmand.net;

import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketDecoder;
import dev.gearfarm.gearman.protocol.PacketEncoder;
import dev.gearfarm.gearmand.engine.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The engine's view of one Netty channel. A batch of replies becomes one task on the channel's event
 * loop, and small replies in it are encoded into one buffer, so a burst costs one write system call.
 */
final class NettySession extends Session {
    private final Channel channel;

    NettySession(long id, String remoteHost, Channel channel) {
        super(id, remoteHost);
        this.channel = channel;
    }

    @Override
    protected void deliver(List<Object> messages, boolean close) {
        if (channel.eventLoop().inEventLoop()) {
            write(messages, close);
            return;
        }
        try {
            channel.eventLoop().execute(() -> write(messages, close));
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down; the connection goes with it.
        }
    }

    private void write(List<Object> messages, boolean close) {
        ByteBuf pending = null;
        for (Object message : messages) {
            if (message instanceof Packet packet && packet.bodyLength() >= PacketEncoder.WRAP_THRESHOLD) {
                // Large bodies go through the encoder, which wraps them instead of copying.
                pending = writePending(pending);
                channel.write(packet, channel.voidPromise());
                continue;
            }
            if (pending == null) {
                pending = channel.alloc().ioBuffer(estimate(messages));
            }
            if (message instanceof Packet packet) {
                PacketEncoder.encode(packet, pending);
            } else {
                pending.writeCharSequence((String) message, StandardCharsets.ISO_8859_1);
            }
        }
        writePending(pending);
        if (close) {
            channel.flush();
            channel.close();
        } else {
            channel.flush();
        }
    }

    private ByteBuf writePending(ByteBuf pending) {
        if (pending != null) {
            channel.write(pending, channel.voidPromise());
        }
        return null;
    }

    private static int estimate(List<Object> messages) {
        long bytes = 0;
        for (Object message : messages) {
            if (message instanceof Packet packet) {
                int body = packet.bodyLength();
                bytes += body < PacketEncoder.WRAP_THRESHOLD ? PacketDecoder.HEADER_LENGTH + body : 0;
            } else {
                bytes += ((String) message).length();
            }
        }
        return (int) Math.min(bytes, 1 << 20);
    }
}
