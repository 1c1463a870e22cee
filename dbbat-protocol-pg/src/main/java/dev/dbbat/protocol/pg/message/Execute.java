package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;

/** Execute ({@code E}): a portal name and a row limit (0 = no limit). */
public record Execute(String portal, int maxRows) {

    public static Execute decode(ByteBuf body, Charset charset) {
        ByteBuf in = body.duplicate();
        String portal = ByteBufs.readCString(in, charset);
        ByteBufs.require(in, 4, "Execute row limit");
        return new Execute(portal, in.readInt());
    }
}
