package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;

/**
 * Bind ({@code B}). Parameter values are copied out (they are logged); {@code null} entries are SQL NULLs.
 *
 * @param portal destination portal name
 * @param statement source statement name
 * @param parameterFormats 0, 1 (applies to all) or one format code per parameter
 * @param values parameter values as sent
 * @param resultFormats 0, 1 (applies to all) or one format code per result column
 */
public record Bind(String portal, String statement, short[] parameterFormats, byte[][] values, short[] resultFormats) {

    public static Bind decode(ByteBuf body, Charset charset) {
        ByteBuf in = body.duplicate();
        String portal = ByteBufs.readCString(in, charset);
        String statement = ByteBufs.readCString(in, charset);
        short[] parameterFormats = readShorts(in);
        ByteBufs.require(in, 2, "Bind value count");
        int count = in.readUnsignedShort();
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            ByteBufs.require(in, 4, "Bind value length");
            int length = in.readInt();
            if (length >= 0) {
                ByteBufs.require(in, length, "Bind value");
                values[i] = new byte[length];
                in.readBytes(values[i]);
            }
        }
        return new Bind(portal, statement, parameterFormats, values, readShorts(in));
    }

    private static short[] readShorts(ByteBuf in) {
        ByteBufs.require(in, 2, "Bind format count");
        int count = in.readUnsignedShort();
        ByteBufs.require(in, count * 2, "Bind format codes");
        short[] result = new short[count];
        for (int i = 0; i < count; i++) {
            result[i] = in.readShort();
        }
        return result;
    }

    /** The format code of parameter {@code index}: the single code if one is given, else per index, else text. */
    public int parameterFormat(int index) {
        return formatOf(parameterFormats, index);
    }

    /** The format code of result column {@code index}, by the same rule. */
    public int resultFormat(int index) {
        return formatOf(resultFormats, index);
    }

    static int formatOf(short[] formats, int index) {
        if (formats.length == 1) {
            return formats[0];
        }
        return index < formats.length ? formats[index] : 0;
    }
}
