package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;

/**
 * The body of Close ({@code C}) and Describe ({@code D}) from a client: {@code 'S'} statement or {@code 'P'} portal,
 * and a name.
 */
public record DescribeTarget(byte kind, String name) {

    public static DescribeTarget decode(ByteBuf body, Charset charset) {
        ByteBuf in = body.duplicate();
        ByteBufs.require(in, 1, "Close/Describe kind");
        byte kind = in.readByte();
        return new DescribeTarget(kind, ByteBufs.readCString(in, charset));
    }

    public boolean isStatement() {
        return kind == 'S';
    }
}
