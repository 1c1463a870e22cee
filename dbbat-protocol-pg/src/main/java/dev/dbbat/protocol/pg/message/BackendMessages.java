package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.util.AbstractMap;
import java.util.Map;

/** Decoders for the small backend messages the proxy reads. Stateless. */
public final class BackendMessages {
    private BackendMessages() {}

    /** ParameterStatus ({@code S}) → name and value. */
    public static Map.Entry<String, String> parameterStatus(ByteBuf body, Charset charset) {
        ByteBuf in = body.duplicate();
        String name = ByteBufs.readCString(in, charset);
        return new AbstractMap.SimpleImmutableEntry<>(name, ByteBufs.readCString(in, charset));
    }

    /** CommandComplete ({@code C}) → the command tag, e.g. {@code INSERT 0 3}. */
    public static String commandTag(ByteBuf body, Charset charset) {
        return ByteBufs.readCString(body.duplicate(), charset);
    }

    /** ReadyForQuery ({@code Z}) → transaction status byte. */
    public static byte transactionStatus(ByteBuf body) {
        ByteBufs.require(body, 1, "ReadyForQuery status");
        return body.getByte(body.readerIndex());
    }

    /** ParameterDescription ({@code t}) → parameter type OIDs. */
    public static long[] parameterTypes(ByteBuf body) {
        ByteBuf in = body.duplicate();
        ByteBufs.require(in, 2, "ParameterDescription count");
        int count = in.readUnsignedShort();
        ByteBufs.require(in, count * 4, "ParameterDescription types");
        long[] result = new long[count];
        for (int i = 0; i < count; i++) {
            result[i] = in.readUnsignedInt();
        }
        return result;
    }

    /** CopyInResponse/CopyOutResponse ({@code G}/{@code H}) → overall format (0 text, 1 binary). */
    public static int copyFormat(ByteBuf body) {
        ByteBufs.require(body, 1, "Copy response format");
        return body.getByte(body.readerIndex());
    }

    /**
     * The rows-affected count of the command tag in {@code buf} from {@code from} (a CommandComplete's body) to its
     * terminating zero or {@code to}, read in place: its last number, or -1 when it has none. Tags are ASCII, which
     * every client encoding PostgreSQL offers keeps as is.
     */
    public static long rowsOfTag(ByteBuf buf, int from, int to) {
        int end = buf.indexOf(from, to, (byte) 0);
        if (end < 0) {
            end = to;
        }
        int digits = end;
        while (digits > from && isDigit(buf.getByte(digits - 1))) {
            digits--;
        }
        if (digits == end || digits == from || buf.getByte(digits - 1) != ' ' || end - digits > 18) {
            return -1;
        }
        long value = 0;
        for (int i = digits; i < end; i++) {
            value = value * 10 + (buf.getByte(i) - '0');
        }
        return value;
    }

    /** Whether the command tag in {@code buf} from {@code from} to {@code to} is a COPY's. */
    public static boolean isCopyTag(ByteBuf buf, int from, int to) {
        return to - from >= 4 && buf.getByte(from) == 'C' && buf.getByte(from + 1) == 'O' && buf.getByte(from + 2) == 'P'
                && buf.getByte(from + 3) == 'Y';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The rows-affected count of a command tag: its last number, when it has one. */
    public static long rowsOfTag(String tag) {
        int space = tag.lastIndexOf(' ');
        if (space < 0) {
            return -1;
        }
        try {
            return Long.parseLong(tag.substring(space + 1));
        } catch (NumberFormatException ex) {
            return -1;
        }
    }
}
