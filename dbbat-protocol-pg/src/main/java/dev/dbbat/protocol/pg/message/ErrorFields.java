package dev.dbbat.protocol.pg.message;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of an ErrorResponse ({@code E}) or NoticeResponse ({@code N}), keyed by field code.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-error-fields.html">Error and Notice Fields</a>
 */
public record ErrorFields(Map<Character, String> fields) {

    public static ErrorFields decode(ByteBuf body, Charset charset) {
        ByteBuf in = body.duplicate();
        Map<Character, String> fields = new HashMap<>();
        while (in.isReadable()) {
            byte code = in.readByte();
            if (code == 0) {
                break;
            }
            int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
            if (end < 0) {
                break;
            }
            fields.put((char) code, in.toString(in.readerIndex(), end - in.readerIndex(), charset));
            in.readerIndex(end + 1);
        }
        return new ErrorFields(Map.copyOf(fields));
    }

    public String sqlState() {
        return fields.getOrDefault('C', "");
    }

    public String message() {
        return fields.getOrDefault('M', "");
    }

    /** The non-localized severity (V), falling back to S. */
    public String severity() {
        return fields.getOrDefault('V', fields.getOrDefault('S', ""));
    }
}
