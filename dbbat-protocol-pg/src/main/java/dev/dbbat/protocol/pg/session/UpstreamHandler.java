package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.CloseReason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Upstream-side events into the {@link PgSession}. One per upstream channel, on the session's event loop. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandler.class);
    private final PgSession session;

    UpstreamHandler(PgSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.fromUpstream(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.upstreamReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.upstreamWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session.state == PgSession.State.CONNECTING) {
            session.upstreamLogin.failed("upstream closed the connection during login");
            return;
        }
        session.end(CloseReason.of(CloseReason.Kind.UPSTREAM_CLOSED, "upstream disconnected"),
                session.fatalMessage("08006", "the upstream database closed the connection", null));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || session.state == PgSession.State.CONNECTING) {
            LOG.debug("[{}] upstream connection error: {}", session.id, cause.toString());
        } else {
            LOG.warn("[{}] upstream error: {}", session.id, cause.toString());
        }
        if (session.state == PgSession.State.CONNECTING) {
            session.upstreamLogin.failed(cause.toString());
            return;
        }
        session.end(CloseReason.of(CloseReason.Kind.ERROR, "upstream: " + cause),
                session.fatalMessage("08006", "lost the connection to the upstream database", null));
    }
}
