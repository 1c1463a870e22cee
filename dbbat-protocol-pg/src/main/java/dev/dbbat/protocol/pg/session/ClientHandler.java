package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.protocol.pg.codec.PgProtocolException;
import dev.dbbat.protocol.pg.internal.LoopActivity;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Client-side events into the {@link PgSession}. One per client channel, on its event loop. */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private final PgSession session;
    /** This session's last activity window on its loop ({@link LoopActivity#touch}). */
    private long activityWindow = -1;

    ClientHandler(PgSession session) {
        this.session = session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.debug("[{}] client connected from {}", session.id, ctx.channel().remoteAddress());
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.fromClient(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        activityWindow = LoopActivity.current().touch(activityWindow);
        session.clientReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.clientWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.end(CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, "client disconnected"), null);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == PgSession.SHUTDOWN) {
            session.shutdownRequested();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof PgProtocolException) {
            LOG.debug("[{}] protocol error from client: {}", session.id, root.getMessage());
            session.fatal("08P01", "invalid frontend message: " + root.getMessage(), null,
                    CloseReason.of(CloseReason.Kind.PROTOCOL_ERROR, root.getMessage()));
        } else if (root instanceof IOException || cause instanceof DecoderException) {
            LOG.debug("[{}] client connection error: {}", session.id, root.toString());
            session.end(CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, root.toString()), null);
        } else {
            LOG.error("[{}] unexpected error on client side", session.id, cause);
            session.fatal("XX000", "internal proxy error", null,
                    CloseReason.of(CloseReason.Kind.ERROR, root.toString()));
        }
    }
}
