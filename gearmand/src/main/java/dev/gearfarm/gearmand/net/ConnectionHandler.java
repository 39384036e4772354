package dev.gearfarm.gearmand.net;

import dev.gearfarm.gearman.protocol.PacketDecoder;
import dev.gearfarm.gearmand.engine.Engine;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Last handler of a connection's pipeline: hands decoded messages to the engine, closes stalled senders. */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final Engine engine;
    private final InlineDrain drain;
    private final long id;
    private final PacketDecoder decoder;
    private NettySession session;

    ConnectionHandler(Engine engine, InlineDrain drain, long id, PacketDecoder decoder) {
        this.engine = engine;
        this.drain = drain;
        this.id = id;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new NettySession(id, host(ctx.channel().remoteAddress()), ctx.channel());
        engine.opened(session);
        if (engine.isInline()) {
            engine.runPending();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        engine.dispatch(session, message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (engine.isInline()) {
            drain.request();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            engine.closed(session);
            if (engine.isInline()) {
                engine.runPending();
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && decoder.isMidFrame()) {
            // Idle between packets is normal (sleeping workers); idle inside one is a stalled sender
            // holding a buffer, so it goes.
            log.warn("closing connection {} from {}: sent part of a packet and then nothing",
                    id, session == null ? "?" : session.remoteHost());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {} I/O error: {}", id, cause.toString());
        } else {
            log.warn("closing connection {} after an unexpected error", id, cause);
        }
        ctx.close();
    }

    private static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
