package dev.dbbat.protocol.pg.message;

import dev.dbbat.protocol.pg.internal.ByteBufs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/** RowDescription ({@code T}): one entry per result column. */
public record RowDescription(List<Column> columns) {

    /**
     * One result column.
     *
     * @param name column label
     * @param typeOid data type OID
     * @param format 0 text, 1 binary (always 0 when it describes a statement rather than a portal)
     */
    public record Column(String name, int typeOid, int format) {}

    public static RowDescription decode(ByteBuf body, Charset charset) {
        ByteBuf in = body.duplicate();
        ByteBufs.require(in, 2, "RowDescription column count");
        int count = in.readUnsignedShort();
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = ByteBufs.readCString(in, charset);
            ByteBufs.require(in, 18, "RowDescription field");
            in.skipBytes(6); // int32 table OID, int16 attribute number
            int typeOid = in.readInt();
            in.skipBytes(6); // int16 type size, int32 type modifier
            columns.add(new Column(name, typeOid, in.readShort()));
        }
        return new RowDescription(List.copyOf(columns));
    }
}
