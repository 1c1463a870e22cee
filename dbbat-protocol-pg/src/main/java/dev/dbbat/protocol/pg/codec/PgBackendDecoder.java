package dev.dbbat.protocol.pg.codec;

import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgFrameRun;
import dev.dbbat.protocol.pg.message.SslResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.handler.codec.DecoderException;
import java.util.concurrent.TimeUnit;

/**
 * Splits what an upstream server sends into messages, for the upstream side of a session: the one-byte
 * {@link SslResponse} when asked for, then {@link PgFrame}s ({@code byte type, int32 length, body}), and, when
 * coalescing is on, {@link PgFrameRun}s: consecutive complete DataRow ({@code 'D'}) or CopyData ({@code 'd'})
 * messages of one read, as one slice of the read buffer, so that a large result costs one object and one write per
 * read instead of one per row.
 *
 * <p>Unlike a cumulating decoder, the read buffer itself is sliced (no copy) and only the one message that straddles
 * two reads is copied, into a buffer of its own that grows up to that message's length. Every length is checked
 * against {@code maxFrameLength} as soon as its header is seen (fail fast, before the body is buffered); a bad length
 * or an unexpected byte fires a {@link DecoderException} wrapping a {@link PgProtocolException}, and all further input
 * is discarded. Bytes that follow an {@code 'S'} answer in the same read are refused: they were sent in plaintext
 * before the TLS handshake and must not be taken for part of the encrypted session.
 *
 * <p>Reads in the middle of a large result can be deferred ({@code rowReadDelayNanos}): while coalescing, once the
 * rows received since the last other message add up to {@code rowReadDelayAfterBytes}, a read that ended inside rows
 * (the last message seen, complete or not, is a DataRow or CopyData, so more messages must follow) and did not fill
 * its buffer passes the next {@code read()} on only after that delay. The upstream sends a large result a few KiB per
 * write; reading each as it lands costs a wake-up, a receive and a send to the client per few KiB, which is most of
 * the proxy's CPU per MB. Waiting lets a read take tens of KiB at once. Smaller results are read as they land (no
 * added latency); nothing waits once a read ends outside rows (the end of a result, ReadyForQuery, any other
 * message); a large result reaches the client at most that delay later.
 *
 * <p>Every message fired is complete: a run never splits a message, a frame holds exactly one. One instance per
 * channel, used on that channel's event loop only (not sharable). The decoder must stay in the pipeline for the life
 * of the channel.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public final class PgBackendDecoder extends ChannelDuplexHandler {
    /** Header: type byte and int32 length. */
    private static final int HEADER = 5;
    /** Initial capacity of the buffer of a message that straddles reads; it grows up to the message's length. */
    private static final int PARTIAL_INITIAL = 64 * 1024;

    private final int maxFrameLength;
    private final long rowReadDelayNanos;
    private final long rowReadDelayAfterBytes;
    private boolean coalesce;
    private boolean wholeReads;
    private boolean sslResponse;
    private boolean failed;
    /** The one incomplete message (header bytes first), or null. */
    private ByteBuf partial;
    /** Wire length of {@link #partial} once its header is complete, else 0. */
    private int partialLength;
    /** Type of the last complete message. */
    private byte lastType;
    /** Bytes of the row messages received since the last other message. */
    private long rowBytes;
    /** The last read ended inside rows and did not fill its buffer: the next read may wait. */
    private boolean rowsPending;
    private boolean readScheduled;

    /**
     * @param maxFrameLength bound for a message, header included
     * @param coalesce whether consecutive DataRow / CopyData messages are fired as {@link PgFrameRun}s
     */
    public PgBackendDecoder(int maxFrameLength, boolean coalesce) {
        this(maxFrameLength, coalesce, 0, 0);
    }

    /**
     * @param maxFrameLength bound for a message, header included
     * @param coalesce whether consecutive DataRow / CopyData messages are fired as {@link PgFrameRun}s
     * @param rowReadDelayNanos how long a read in the middle of a large result waits while coalescing; 0 never waits
     * @param rowReadDelayAfterBytes bytes of consecutive rows after which a result counts as large
     */
    public PgBackendDecoder(int maxFrameLength, boolean coalesce, long rowReadDelayNanos, long rowReadDelayAfterBytes) {
        this.maxFrameLength = maxFrameLength;
        this.coalesce = coalesce;
        this.rowReadDelayNanos = rowReadDelayNanos;
        this.rowReadDelayAfterBytes = rowReadDelayAfterBytes;
    }

    /** Expect the one-byte SSL answer next (after sending an SSLRequest). */
    public void expectSslResponse() {
        this.sslResponse = true;
    }

    /** Turns coalescing on or off; takes effect from the next message decoded. */
    public void coalesce(boolean value) {
        this.coalesce = value;
    }

    /**
     * Turns whole reads on or off; takes effect from the next read. When on, every complete message of a read,
     * whatever its type, is fired in one {@link PgFrameRun} (its type {@link PgFrameRun#MIXED} when the types differ),
     * so that a relay that reads messages in place forwards a whole read as one slice; only a message that straddles
     * two reads comes as a {@link PgFrame}. Whole reads imply runs of rows; row reads are deferred as with
     * {@link #coalesce(boolean)}.
     */
    public void wholeReads(boolean value) {
        this.wholeReads = value;
    }

    /** Bytes of an incomplete message held until the rest arrives. */
    public int bufferedBytes() {
        return partial == null ? 0 : partial.readableBytes();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean filled = in.writerIndex() == in.capacity();
        try {
            if (!failed) {
                decode(ctx, in);
            }
        } catch (PgProtocolException ex) {
            failed = true;
            releasePartial();
            ctx.fireExceptionCaught(new DecoderException(ex));
        } finally {
            in.release();
        }
        rowsPending = !filled && !failed && rowBytes >= rowReadDelayAfterBytes
                && isRow(partial != null ? partial.getByte(partial.readerIndex()) : lastType);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!rowsPending || !(coalesce || wholeReads) || rowReadDelayNanos <= 0) {
            ctx.read();
            return;
        }
        if (!readScheduled) {
            readScheduled = true;
            ctx.executor().schedule(() -> {
                readScheduled = false;
                rowsPending = false;
                ctx.read();
            }, rowReadDelayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Notes a complete message. */
    private void seen(byte type, int wire) {
        lastType = type;
        rowBytes = isRow(type) ? rowBytes + wire : 0;
    }

    private static boolean isRow(byte type) {
        return type == 'D' || type == 'd';
    }

    private void decode(ChannelHandlerContext ctx, ByteBuf in) {
        if (sslResponse) {
            if (!in.isReadable()) {
                return;
            }
            byte answer = in.readByte();
            if (answer != 'S' && answer != 'N') {
                // a server too old for SSLRequest answers with an ErrorResponse 'E'
                throw new PgProtocolException("unexpected answer to SSLRequest: " + answer);
            }
            if (answer == 'S' && in.isReadable()) {
                throw new PgProtocolException("unencrypted bytes after the answer to SSLRequest");
            }
            sslResponse = false;
            ctx.fireChannelRead(new SslResponse(answer == 'S'));
        }
        if (partial != null && !completePartial(ctx, in)) {
            return;
        }
        if (wholeReads) {
            wholeRead(ctx, in);
        } else {
            frames(ctx, in);
        }
        keepTail(ctx, in);
    }

    /**
     * Steps over the complete message at the reader index of {@code in} (its length checked, the message noted) and
     * returns where it starts; -1, reader index unchanged, when no complete message is there.
     */
    private int next(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.writerIndex() - start;
        if (readable < HEADER) {
            return -1;
        }
        int wire = wireLength(in.getInt(start + 1));
        if (readable < wire) {
            return -1;
        }
        in.readerIndex(start + wire);
        seen(in.getByte(start), wire);
        return start;
    }

    /** Fires the complete messages of {@code in} as one run. */
    private void wholeRead(ChannelHandlerContext ctx, ByteBuf in) {
        int from = in.readerIndex();
        int messages = 0;
        byte runType = 0;
        for (int start; (start = next(in)) >= 0; ) {
            byte type = in.getByte(start);
            runType = messages++ == 0 || type == runType ? type : PgFrameRun.MIXED;
        }
        if (messages > 0) {
            fireRun(ctx, in, runType, messages, from, in.readerIndex());
        }
    }

    /** Adds bytes of {@code in} to the incomplete message; fires it and returns true once it is complete. */
    private boolean completePartial(ChannelHandlerContext ctx, ByteBuf in) {
        if (partialLength == 0) {
            partial.writeBytes(in, Math.min(HEADER - partial.readableBytes(), in.readableBytes()));
            if (partial.readableBytes() < HEADER) {
                return false;
            }
            partialLength = wireLength(partial.getInt(partial.readerIndex() + 1));
            partial.ensureWritable(Math.min(partialLength, PARTIAL_INITIAL) - HEADER);
        }
        partial.writeBytes(in, Math.min(partialLength - partial.readableBytes(), in.readableBytes()));
        if (partial.readableBytes() < partialLength) {
            return false;
        }
        ByteBuf frame = partial;
        partial = null;
        partialLength = 0;
        seen(frame.getByte(frame.readerIndex()), frame.readableBytes());
        ctx.fireChannelRead(new PgFrame(lastType, frame));
        return true;
    }

    /** Fires the complete messages of {@code in} (runs and frames). */
    private void frames(ChannelHandlerContext ctx, ByteBuf in) {
        int runStart = 0;
        int runMessages = 0;
        byte runType = 0;
        for (int start; (start = next(in)) >= 0; ) {
            byte type = in.getByte(start);
            int wire = in.readerIndex() - start;
            if (coalesce && isRow(type)) {
                if (runMessages > 0 && type != runType) {
                    fireRun(ctx, in, runType, runMessages, runStart, start);
                    runMessages = 0;
                }
                if (runMessages++ == 0) {
                    runStart = start;
                    runType = type;
                }
                continue;
            }
            if (runMessages > 0) {
                fireRun(ctx, in, runType, runMessages, runStart, start);
                runMessages = 0;
            }
            ctx.fireChannelRead(new PgFrame(type, in.retainedSlice(start, wire)));
        }
        if (runMessages > 0) {
            fireRun(ctx, in, runType, runMessages, runStart, in.readerIndex());
        }
    }

    /** Keeps the incomplete message at the end of {@code in}, if any, until the rest arrives. */
    private void keepTail(ChannelHandlerContext ctx, ByteBuf in) {
        int tail = in.readableBytes();
        if (tail > 0) {
            if (tail >= HEADER) {
                partialLength = wireLength(in.getInt(in.readerIndex() + 1));
                partial = ctx.alloc().buffer(Math.min(partialLength, PARTIAL_INITIAL));
            } else {
                partial = ctx.alloc().buffer(HEADER);
            }
            partial.writeBytes(in, tail);
        }
    }

    private static void fireRun(ChannelHandlerContext ctx, ByteBuf in, byte type, int messages, int from, int to) {
        ctx.fireChannelRead(new PgFrameRun(type, messages, in.retainedSlice(from, to - from)));
    }

    /** The message's length on the wire (type byte included), from its int32 length field, checked. */
    private int wireLength(int length) {
        if (length < 4) {
            throw new PgProtocolException("frame length: " + length + " (expected: >= 4)");
        }
        if (length > maxFrameLength - 1) {
            throw new PgProtocolException("frame length: " + length + " (expected: <= " + (maxFrameLength - 1) + ")");
        }
        return length + 1;
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
            partialLength = 0;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePartial();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePartial();
    }
}
