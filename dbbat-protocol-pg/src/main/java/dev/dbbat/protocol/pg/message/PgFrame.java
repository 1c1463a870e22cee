package dev.dbbat.protocol.pg.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One typed protocol message exactly as it came off the wire: {@code content()} holds the type byte, the int32 length
 * and the body, so forwarding it unchanged is a plain write of {@code content()}.
 *
 * <p>Reference counted: whoever reads it last releases it (or transfers {@code content()} by writing it).
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public final class PgFrame extends DefaultByteBufHolder {
    private final byte type;

    public PgFrame(byte type, ByteBuf frame) {
        super(frame);
        this.type = type;
    }

    /** The message type byte, e.g. {@code 'Q'}. */
    public byte type() {
        return type;
    }

    /** The body after the type and length, as a slice valid while this frame is alive (not retained). */
    public ByteBuf body() {
        ByteBuf content = content();
        return content.slice(content.readerIndex() + 5, content.readableBytes() - 5);
    }

    /** Bytes on the wire, header included. */
    public int wireLength() {
        return content().readableBytes();
    }

    @Override
    public String toString() {
        return "PgFrame[" + (char) type + ", " + wireLength() + " bytes]";
    }
}
