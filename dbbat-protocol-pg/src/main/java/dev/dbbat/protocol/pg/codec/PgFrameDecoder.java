package dev.dbbat.protocol.pg.codec;

import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgFrameRun;
import dev.dbbat.protocol.pg.message.SslResponse;
import dev.dbbat.protocol.pg.message.StartupPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a PostgreSQL v3 byte stream into messages without copying: {@link StartupPacket}s while a client is in its
 * startup phase, the one-byte {@link SslResponse} of an upstream, then {@link PgFrame}s ({@code byte type, int32
 * length, body}), or, with {@link #wholeReads(boolean) whole reads}, {@link PgFrameRun}s of every complete typed
 * message at hand. Every length is checked against a bound as soon as the header is seen (fail fast); a bad length
 * throws {@link PgProtocolException} (after the complete messages before it are passed on) and the decoder then
 * discards all further input.
 *
 * <p>One instance per channel, used on that channel's event loop only (not sharable).
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public final class PgFrameDecoder extends ByteToMessageDecoder {

    /** What the decoder expects next. */
    public enum Mode {
        /** Untyped startup packets (client side, before a StartupMessage). */
        STARTUP,
        /** One byte answering our SSLRequest (upstream side). */
        SSL_RESPONSE,
        /** Typed messages. */
        TYPED,
        /** After a protocol error: everything is discarded. */
        FAILED
    }

    private Mode mode;
    private int maxStartupLength;
    private int maxFrameLength;
    private boolean wholeReads;

    /**
     * @param mode the initial mode
     * @param maxStartupLength bound for startup packets
     * @param maxFrameLength bound for typed frames, header included
     */
    public PgFrameDecoder(Mode mode, int maxStartupLength, int maxFrameLength) {
        this.mode = mode;
        this.maxStartupLength = maxStartupLength;
        this.maxFrameLength = maxFrameLength;
    }

    /** Changes the typed-frame bound, e.g. from the login bound to the session bound after authentication. */
    public void maxFrameLength(int value) {
        this.maxFrameLength = value;
    }

    /**
     * Turns whole reads on or off: typed messages then come as one {@link PgFrameRun} per decode of everything
     * complete at hand (its type {@link PgFrameRun#MIXED} when the types differ), so that a relay reading them in
     * place forwards them as one slice.
     */
    public void wholeReads(boolean value) {
        this.wholeReads = value;
    }

    /** Expect the one-byte SSL answer next (after sending an SSLRequest upstream). */
    public void expectSslResponse() {
        this.mode = Mode.SSL_RESPONSE;
    }

    /** Bytes received but not decoded yet (e.g. plaintext smuggled after an SSLRequest). */
    public int bufferedBytes() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            Object message = switch (mode) {
                case STARTUP -> decodeStartup(in);
                case SSL_RESPONSE -> decodeSslResponse(in);
                case TYPED -> wholeReads ? decodeRun(in) : decodeTyped(in);
                case FAILED -> discard(in);
            };
            if (message == null) {
                return;
            }
            out.add(message);
        }
    }

    private Object decodeStartup(ByteBuf in) {
        if (in.readableBytes() < 4) {
            return null;
        }
        int length = in.getInt(in.readerIndex()); // int32 length includes itself and the code
        if (length < 8 || length > maxStartupLength) {
            throw fail("startup packet length: " + length + " (expected: 8.." + maxStartupLength + ")");
        }
        if (in.readableBytes() < length) {
            return null;
        }
        in.skipBytes(4);
        int code = in.readInt();
        StartupPacket packet = new StartupPacket(code, in.readRetainedSlice(length - 8));
        if (packet.isProtocol3()) {
            mode = Mode.TYPED;
        }
        return packet;
    }

    private Object decodeSslResponse(ByteBuf in) {
        byte answer = in.readByte();
        if (answer != 'S' && answer != 'N') {
            // a server too old for SSLRequest answers with an ErrorResponse 'E'
            throw fail("unexpected answer to SSLRequest: " + answer);
        }
        mode = Mode.TYPED;
        return new SslResponse(answer == 'S');
    }

    private Object decodeTyped(ByteBuf in) {
        int wire = typedLength(in, in.readerIndex());
        if (wire < 0) {
            return null;
        }
        return new PgFrame(in.getByte(in.readerIndex()), in.readRetainedSlice(wire));
    }

    /** The complete typed messages at hand as one run; a bad header after them fails on the next call. */
    private Object decodeRun(ByteBuf in) {
        int from = in.readerIndex();
        int at = from;
        int messages = 0;
        byte runType = 0;
        while (true) {
            if (messages > 0 && in.writerIndex() - at >= 5 && !validLength(in.getInt(at + 1))) {
                break; // pass on what came before; the next call fails at this header
            }
            int wire = typedLength(in, at);
            if (wire < 0) {
                break;
            }
            byte type = in.getByte(at);
            runType = messages++ == 0 || type == runType ? type : PgFrameRun.MIXED;
            at += wire;
        }
        if (messages == 0) {
            return null;
        }
        in.readerIndex(at);
        return new PgFrameRun(runType, messages, in.retainedSlice(from, at - from));
    }

    private boolean validLength(int length) {
        return length >= 4 && length <= maxFrameLength - 1;
    }

    /** The wire length of the typed message at {@code at}, checked, or -1 while it is incomplete. */
    private int typedLength(ByteBuf in, int at) {
        if (in.writerIndex() - at < 5) {
            return -1;
        }
        int length = in.getInt(at + 1); // int32 length includes itself, not the type byte
        if (length < 4) {
            throw fail("frame length: " + length + " (expected: >= 4)");
        }
        if (length > maxFrameLength - 1) {
            throw fail("frame length: " + length + " (expected: <= " + (maxFrameLength - 1) + ")");
        }
        if (in.writerIndex() - at < length + 1) {
            return -1;
        }
        return length + 1;
    }

    private Object discard(ByteBuf in) {
        in.skipBytes(in.readableBytes());
        return null;
    }

    private PgProtocolException fail(String message) {
        mode = Mode.FAILED;
        return new PgProtocolException(message);
    }
}
