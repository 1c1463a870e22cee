package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.QueryParameters;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.protocol.pg.message.Bind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Turns PostgreSQL values into plain Java values for events: bind parameters (behaviour §6.4) and result columns
 * (§6.6, numeric as {@link BigDecimal}, json/jsonb as {@link ResultRow.JsonText}). Stateless.
 */
final class PgValues {
    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int JSON = 114;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    static final int NUMERIC = 1700;
    static final int JSONB = 3802;
    static final int NAME = 19;

    private PgValues() {}

    /** The parameters of a Bind, with type OIDs from Parse or ParameterDescription when known (0 otherwise). */
    static QueryParameters parameters(Bind bind, long[] typeOids, Charset charset) {
        int count = bind.values().length;
        String[] values = new String[count];
        String[] raw = new String[count];
        Integer[] formats = new Integer[count];
        Long[] types = new Long[count];
        Base64.Encoder base64 = Base64.getEncoder();
        for (int i = 0; i < count; i++) {
            byte[] value = bind.values()[i];
            int format = bind.parameterFormat(i);
            long oid = typeOids != null && i < typeOids.length ? typeOids[i] : 0;
            formats[i] = format;
            types[i] = oid;
            raw[i] = value == null ? "" : base64.encodeToString(value);
            values[i] = value == null ? null : parameterText(value, format, oid, charset);
        }
        return new QueryParameters(Arrays.asList(values), Arrays.asList(raw), Arrays.asList(formats),
                Arrays.asList(types));
    }

    private static String parameterText(byte[] value, int format, long oid, Charset charset) {
        if (format == 0) {
            return new String(value, charset);
        }
        Object decoded = binary((int) oid, value, charset);
        if (decoded instanceof byte[] bytes) {
            return (oid == BYTEA ? "" : "(oid:" + oid + ")") + Base64.getEncoder().encodeToString(bytes);
        }
        if (decoded instanceof ResultRow.JsonText json) {
            return json.json();
        }
        return String.valueOf(decoded);
    }

    /** A result value in text format, typed by OID. */
    static Object text(int oid, byte[] value, Charset charset) {
        return typedText(oid, new String(value, charset));
    }

    /** A result value in text format, typed by OID, from {@code length} bytes of {@code buf} at {@code index}. */
    static Object text(int oid, ByteBuf buf, int index, int length, Charset charset) {
        return typedText(oid, buf.toString(index, length, charset));
    }

    private static Object typedText(int oid, String text) {
        try {
            return switch (oid) {
                case BOOL -> text.equals("t") || text.equals("true") || text.equals("1");
                case INT2, INT4, INT8, OID -> Long.parseLong(text);
                case NUMERIC -> numeric(text);
                case FLOAT4, FLOAT8 -> Double.parseDouble(text);
                case JSON, JSONB -> new ResultRow.JsonText(text);
                default -> text;
            };
        } catch (NumberFormatException ex) {
            return text;
        }
    }

    private static Object numeric(String text) {
        return switch (text) {
            case "NaN", "Infinity", "-Infinity" -> text;
            default -> new BigDecimal(text);
        };
    }

    /** A value in binary format, typed by OID; unknown types stay bytes. */
    static Object binary(int oid, byte[] value, Charset charset) {
        return binary(oid, Unpooled.wrappedBuffer(value), 0, value.length, charset);
    }

    /**
     * A value in binary format, typed by OID, from {@code length} bytes of {@code buf} at {@code index}; unknown
     * types (and known ones of an unexpected width) are copied as bytes.
     */
    static Object binary(int oid, ByteBuf buf, int index, int length, Charset charset) {
        return switch (oid) {
            case BOOL -> length == 1 ? (Object) (buf.getByte(index) != 0) : bytes(buf, index, length);
            case INT2 -> length == 2 ? (Object) (long) buf.getShort(index) : bytes(buf, index, length);
            case INT4 -> length == 4 ? (Object) (long) buf.getInt(index) : bytes(buf, index, length);
            case OID -> length == 4 ? (Object) buf.getUnsignedInt(index) : bytes(buf, index, length);
            case INT8 -> length == 8 ? (Object) buf.getLong(index) : bytes(buf, index, length);
            case FLOAT4 -> length == 4 ? (Object) (double) buf.getFloat(index) : bytes(buf, index, length);
            case FLOAT8 -> length == 8 ? (Object) buf.getDouble(index) : bytes(buf, index, length);
            case TEXT, VARCHAR, BPCHAR, NAME -> buf.toString(index, length, charset);
            case JSON -> new ResultRow.JsonText(buf.toString(index, length, charset));
            case JSONB -> length > 0 && buf.getByte(index) == 1
                    ? new ResultRow.JsonText(buf.toString(index + 1, length - 1, charset))
                    : bytes(buf, index, length);
            default -> bytes(buf, index, length);
        };
    }

    private static byte[] bytes(ByteBuf buf, int index, int length) {
        byte[] result = new byte[length];
        buf.getBytes(index, result);
        return result;
    }
}
