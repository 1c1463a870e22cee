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
