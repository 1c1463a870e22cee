package dev.dbbat.protocol.pg.internal;

import dev.dbbat.protocol.pg.codec.PgProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Helpers for PostgreSQL strings (NUL-terminated). Stateless. */
public final class ByteBufs {
    private ByteBufs() {}

    /** Reads a NUL-terminated UTF-8 string and skips its terminator. */
    public static String readCString(ByteBuf in) {
        return readCString(in, StandardCharsets.UTF_8);
    }

    /** Reads a NUL-terminated string in {@code charset} and skips its terminator. */
    public static String readCString(ByteBuf in, Charset charset) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new PgProtocolException("string not terminated by NUL");
        }
        if (end == in.readerIndex()) { // the unnamed statement or portal, on every extended-protocol message
            in.readerIndex(end + 1);
            return "";
        }
        String result = in.toString(in.readerIndex(), end - in.readerIndex(), charset);
        in.readerIndex(end + 1);
        return result;
    }

    /** Writes {@code value} in UTF-8 followed by NUL. */
    public static void writeCString(ByteBuf out, String value) {
        out.writeCharSequence(value, StandardCharsets.UTF_8);
        out.writeByte(0);
    }

    /** Checks that {@code count} bytes remain. */
    public static void require(ByteBuf in, int count, String what) {
        if (count < 0 || in.readableBytes() < count) {
            throw new PgProtocolException(what + ": " + count + " bytes (available: " + in.readableBytes() + ")");
        }
    }
}
