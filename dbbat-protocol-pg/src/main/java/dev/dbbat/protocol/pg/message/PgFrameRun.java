package dev.dbbat.protocol.pg.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Consecutive complete messages of one type (DataRow {@code 'D'} or CopyData {@code 'd'}) exactly as they came off
 * the wire, in one buffer: {@code content()} starts at the type byte of the first message and ends with the last
 * byte of the last one, so forwarding the run unchanged is one write and never splits a message.
 *
 * <p>Reference counted, like {@link PgFrame}: whoever reads it last releases it (or transfers {@code content()} by
 * writing it).
 */
public final class PgFrameRun extends DefaultByteBufHolder {
    private final byte type;
    private final int messages;

    public PgFrameRun(byte type, int messages, ByteBuf content) {
        super(content);
        this.type = type;
        this.messages = messages;
    }

    /** The type byte shared by every message of the run. */
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
