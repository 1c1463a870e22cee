package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encoders for the messages the proxy itself writes, to a client (backend messages) or to an upstream (frontend
 * messages). Each method returns a new buffer owned by the caller. Stateless and thread-safe.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public final class PgMessages {
    private PgMessages() {}

    /** ErrorResponse with severity (S and V), SQLSTATE (C), message (M) and an optional detail (D). */
    public static ByteBuf errorResponse(ByteBufAllocator alloc, String severity, String sqlState, String message,
            String detail) {
        ByteBuf out = begin(alloc, 'E');
        field(out, 'S', severity);
        field(out, 'V', severity);
        field(out, 'C', sqlState);
        field(out, 'M', message);
        if (detail != null && !detail.isEmpty()) {
            field(out, 'D', detail);
        }
        out.writeByte(0);
        return end(out);
    }

    private static void field(ByteBuf out, char code, String value) {
        out.writeByte(code);
        ByteBufs.writeCString(out, value);
    }

    /** ReadyForQuery with a transaction status byte ({@code I}, {@code T} or {@code E}). */
    public static ByteBuf readyForQuery(ByteBufAllocator alloc, byte status) {
        ByteBuf out = begin(alloc, 'Z');
        out.writeByte(status);
        return end(out);
    }

    /** Authentication request ({@code R}) with a code and optional extra bytes. */
    public static ByteBuf authentication(ByteBufAllocator alloc, int code, byte[] extra) {
        ByteBuf out = begin(alloc, 'R');
        out.writeInt(code);
        out.writeBytes(extra);
        return end(out);
    }

    /** AuthenticationSASL listing mechanisms. */
    public static ByteBuf authenticationSasl(ByteBufAllocator alloc, List<String> mechanisms) {
        ByteBuf out = begin(alloc, 'R');
        out.writeInt(10);
        for (String each : mechanisms) {
            ByteBufs.writeCString(out, each);
        }
        out.writeByte(0);
        return end(out);
    }

    public static ByteBuf backendKeyData(ByteBufAllocator alloc, int processId, int secret) {
        ByteBuf out = begin(alloc, 'K');
        out.writeInt(processId);
        out.writeInt(secret);
        return end(out);
    }

    public static ByteBuf parameterStatus(ByteBufAllocator alloc, String name, String value) {
        ByteBuf out = begin(alloc, 'S');
        ByteBufs.writeCString(out, name);
        ByteBufs.writeCString(out, value);
        return end(out);
    }

    /** Simple Query. */
    public static ByteBuf query(ByteBufAllocator alloc, String sql) {
        ByteBuf out = begin(alloc, 'Q');
        ByteBufs.writeCString(out, sql);
        return end(out);
    }

    /** Parse of {@code sql} into the unnamed statement, with no parameter types. */
    public static ByteBuf parse(ByteBufAllocator alloc, String sql) {
        ByteBuf out = begin(alloc, 'P');
        ByteBufs.writeCString(out, "");
        ByteBufs.writeCString(out, sql);
        out.writeShort(0);
        return end(out);
    }

    /** PasswordMessage (also used for SASLResponse, which has the same type byte). */
    public static ByteBuf password(ByteBufAllocator alloc, byte[] data) {
        ByteBuf out = begin(alloc, 'p');
        out.writeBytes(data);
        return end(out);
    }

    /** SASLInitialResponse. */
    public static ByteBuf saslInitialResponse(ByteBufAllocator alloc, String mechanism, byte[] data) {
        ByteBuf out = begin(alloc, 'p');
        ByteBufs.writeCString(out, mechanism);
        out.writeInt(data.length);
        out.writeBytes(data);
        return end(out);
    }

    public static ByteBuf terminate(ByteBufAllocator alloc) {
        return end(begin(alloc, 'X'));
    }

    /** StartupMessage for protocol 3.0 (untyped). */
    public static ByteBuf startupMessage(ByteBufAllocator alloc, Map<String, String> parameters) {
        ByteBuf out = alloc.buffer();
        out.writeInt(0); // int32 length, patched below
        out.writeInt(StartupPacket.PROTOCOL_3_0);
        parameters.forEach((name, value) -> {
            ByteBufs.writeCString(out, name);
            ByteBufs.writeCString(out, value);
        });
        out.writeByte(0);
        out.setInt(0, out.readableBytes());
        return out;
    }

    /** SSLRequest (untyped, 8 bytes). */
    public static ByteBuf sslRequest(ByteBufAllocator alloc) {
        return alloc.buffer(8).writeInt(8).writeInt(StartupPacket.SSL_REQUEST);
    }

    /** CancelRequest (untyped, 16 bytes). */
    public static ByteBuf cancelRequest(ByteBufAllocator alloc, int processId, int secret) {
        ByteBuf out = alloc.buffer(16);
        out.writeInt(16); // int32 length
        out.writeInt(StartupPacket.CANCEL_REQUEST);
        out.writeInt(processId);
        out.writeInt(secret);
        return out;
    }

    /** NegotiateProtocolVersion: the newest minor version we support and the options we did not recognise. */
    public static ByteBuf negotiateProtocolVersion(ByteBufAllocator alloc, int version, List<String> unsupported) {
        ByteBuf out = begin(alloc, 'v');
        out.writeInt(version);
        out.writeInt(unsupported.size());
        unsupported.forEach(each -> ByteBufs.writeCString(out, each));
        return end(out);
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuf begin(ByteBufAllocator alloc, char type) {
        ByteBuf out = alloc.buffer();
        out.writeByte(type);
        out.writeInt(0); // int32 length, patched by end()
        return out;
    }

    private static ByteBuf end(ByteBuf out) {
        out.setInt(1, out.readableBytes() - 1);
        return out;
    }
}
