package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;

/**
 * Parse ({@code P}): a statement name, its SQL and the parameter type OIDs the client specified (0 = unspecified).
 */
public record Parse(String statement, String sql, int[] parameterTypes) {

    public static Parse decode(ByteBuf body, Charset charset) {
        ByteBuf in = body.duplicate();
        String name = ByteBufs.readCString(in, charset);
        String sql = ByteBufs.readCString(in, charset);
        ByteBufs.require(in, 2, "Parse parameter count");
        int count = in.readUnsignedShort();
        ByteBufs.require(in, count * 4, "Parse parameter types");
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = in.readInt();
        }
        return new Parse(name, sql, types);
    }
}
