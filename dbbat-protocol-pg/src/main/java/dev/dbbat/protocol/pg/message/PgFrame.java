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
        return body(content, content.readerIndex(), content.readableBytes());
    }

    /**
     * The body of the message of {@code wire} bytes (header included) at {@code at} in {@code in}, as a slice valid
     * while {@code in} is alive (not retained): for reading messages where they lie in a read buffer.
     */
    public static ByteBuf body(ByteBuf in, int at, int wire) {
        return in.slice(at + 5, wire - 5);
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
