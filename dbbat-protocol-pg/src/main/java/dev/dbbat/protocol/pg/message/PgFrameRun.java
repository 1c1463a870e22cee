package dev.dbbat.protocol.pg.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Consecutive complete messages exactly as they came off the wire, in one buffer: {@code content()} starts at the
 * type byte of the first message and ends with the last byte of the last one, so forwarding the run unchanged is one
 * write and never splits a message. A decoder coalescing rows fires runs of one type (DataRow {@code 'D'} or CopyData
 * {@code 'd'}); one firing whole reads fires every complete message of a read in one run, whose {@link #type()} is
 * then {@link #MIXED} when their types differ.
 *
 * <p>Reference counted, like {@link PgFrame}: whoever reads it last releases it (or transfers {@code content()} by
 * writing it).
 */
public final class PgFrameRun extends DefaultByteBufHolder {
    /** The {@link #type()} of a run whose messages are not all of one type (no message type is 0). */
    public static final byte MIXED = 0;

    private final byte type;
    private final int messages;

    public PgFrameRun(byte type, int messages, ByteBuf content) {
        super(content);
        this.type = type;
        this.messages = messages;
    }

    /** The type byte shared by every message of the run, or {@link #MIXED}. */
    public byte type() {
        return type;
    }

    /** How many messages the run holds (at least one). */
    public int messages() {
        return messages;
    }

    /** Bytes on the wire, headers included. */
    public int wireLength() {
        return content().readableBytes();
    }

    @Override
    public String toString() {
        return "PgFrameRun[" + messages + " x " + (char) type + ", " + wireLength() + " bytes]";
    }
}
