package dev.gearfarm.gearmand.net;

import dev.gearfarm.gearmand.engine.Session;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/** The engine's view of one Netty channel: a batch of replies becomes one task on the channel's loop. */
final class NettySession extends Session {
    private final Channel channel;

    NettySession(long id, String remoteHost, Channel channel) {
        super(id, remoteHost);
        this.channel = channel;
    }

    @Override
    protected void deliver(List<Object> messages, boolean close) {
        try {
            channel.eventLoop().execute(() -> write(messages, close));
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down; the connection goes with it.
        }
    }

    private void write(List<Object> messages, boolean close) {
        for (Object message : messages) {
            if (message instanceof String text) {
                channel.write(ByteBufUtil.encodeString(channel.alloc(), java.nio.CharBuffer.wrap(text),
                        java.nio.charset.StandardCharsets.ISO_8859_1), channel.voidPromise());
            } else {
                channel.write(message, channel.voidPromise());
            }
        }
        if (close) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.flush();
        }
    }
}
