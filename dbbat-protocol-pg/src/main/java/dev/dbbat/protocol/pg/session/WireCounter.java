package dev.dbbat.protocol.pg.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes that cross the client socket (first in the pipeline, so TLS records count as sent) and reports
 * them to the session per read and per flush. One per client channel.
 */
final class WireCounter extends ChannelDuplexHandler {
    private final PgSession session;
    private long unreportedWrites;

    WireCounter(PgSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long size = sizeOf(msg);
        ctx.fireChannelRead(msg);
        session.wireBytes(size, true);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        unreportedWrites += sizeOf(msg);
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        long bytes = unreportedWrites;
        unreportedWrites = 0;
        if (bytes > 0) {
            session.wireBytes(bytes, false);
        }
    }

    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().readableBytes();
        }
        return 0;
    }
}
