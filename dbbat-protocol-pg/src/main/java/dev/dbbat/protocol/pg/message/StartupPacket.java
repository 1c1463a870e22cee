package dev.dbbat.protocol.pg.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * An untyped startup-phase packet from a client: StartupMessage, SSLRequest, GSSENCRequest or CancelRequest.
 * {@code content()} is the body after the int32 length and the int32 code. Reference counted.
 */
public final class StartupPacket extends DefaultByteBufHolder {
    /** SSLRequest code: 1234 in the high half, 5679 in the low half. */
    public static final int SSL_REQUEST = 80877103;
    /** GSSENCRequest code. */
    public static final int GSSENC_REQUEST = 80877104;
    /** CancelRequest code. */
    public static final int CANCEL_REQUEST = 80877102;
    /** Protocol 3.0 (major 3 in the high half). */
    public static final int PROTOCOL_3_0 = 196608;

    private final int code;

    public StartupPacket(int code, ByteBuf body) {
        super(body);
        this.code = code;
    }

    /** The request code or the protocol version. */
    public int code() {
        return code;
    }

    /** Whether this is a StartupMessage of protocol major version 3 (any minor). */
    public boolean isProtocol3() {
        return code >>> 16 == 3;
    }

    @Override
    public String toString() {
        return "StartupPacket[" + code + ", " + content().readableBytes() + " bytes]";
    }
}
