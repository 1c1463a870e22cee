package dev.dbbat.store.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL {@code COPY ... FROM STDIN (FORMAT binary)} buffer: each value is written in the type's binary send
 * format straight into one reusable byte array, so the server runs the types' cheap receive functions instead of
 * parsing text (uuid, timestamptz and numeric text input were a fifth of the store backend's CPU per statement
 * record). The writer renders tens of thousands of statement records a second with it: no object per value.
 * Internal; not thread-safe: one instance per writer thread.
 *
 * <p>Layout: {@link #header()} once per COPY, then per row {@link #row(int)} and exactly that many values, then
 * {@link #trailer()}. A value is its 4-byte length ({@code -1}: NULL) and its bytes. Buffers may be sent in pieces
 * ({@link #reset()} after each piece); rows need not line up with the pieces.
 */
public final class CopyBinary {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** Seconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    private static final int NUMERIC_POS = 0x0000;
    private static final int NUMERIC_NEG = 0x4000;
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);
    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray(); // as Json.appendString
    private static final long[] POWERS = {1L, 10L, 100L, 1_000L};

    private byte[] bytes;
    private int size;
    /** Base-10000 digits of one numeric, least significant first (reused). */
    private short[] digits = new short[8];

    /** A buffer with room for {@code capacity} bytes to start with (it grows as needed). */
    public CopyBinary(int capacity) {
        this.bytes = new byte[Math.max(64, capacity)];
    }

    /** The bytes written since the last {@link #reset()} are {@code array()[0, size())}. */
    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }

    /** Empties the buffer (after its bytes were sent); keeps its capacity. */
    public CopyBinary reset() {
        size = 0;
        return this;
    }

    /** The capacity of the buffer (it grows for a large value). */
    public int capacity() {
        return bytes.length;
    }

    /** The file header: signature, flags (no OIDs), no header extension. */
    public CopyBinary header() {
        ensure(SIGNATURE.length + 8);
        System.arraycopy(SIGNATURE, 0, bytes, size, SIGNATURE.length);
        size += SIGNATURE.length;
        putInt(0);
        putInt(0);
        return this;
    }

    /** The end of the data: a field count of {@code -1}. */
    public CopyBinary trailer() {
        ensure(2);
        putShort(-1);
        return this;
    }

    /** Starts a row of {@code fields} values. */
    public CopyBinary row(int fields) {
        ensure(2);
        putShort(fields);
        return this;
    }

    /** SQL NULL. */
    public CopyBinary nullValue() {
        ensure(4);
        putInt(-1);
        return this;
    }

    /** A {@code uuid}: 16 bytes, most significant first. */
    public CopyBinary uuid(UUID value) {
        if (value == null) {
            return nullValue();
        }
        ensure(20);
        putInt(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
        return this;
    }

    /** A {@code bigint}. */
    public CopyBinary int8(long value) {
        ensure(12);
        putInt(8);
        putLong(value);
        return this;
    }

    /** A {@code boolean}. */
    public CopyBinary bool(boolean value) {
        ensure(5);
        putInt(1);
        bytes[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    /**
     * A {@code timestamptz}: microseconds since 2000-01-01 UTC, rounded half up from nanoseconds (as the text path
     * and the JDBC driver round an {@link Instant}).
     */
    public CopyBinary timestamptz(Instant instant) {
        if (instant == null) {
            return nullValue();
        }
        Instant rounded = instant.plusNanos(500);
        long micros = Math.addExact(Math.multiplyExact(rounded.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L),
                rounded.getNano() / 1000);
        ensure(12);
        putInt(8);
        putLong(micros);
        return this;
    }

    /**
     * A {@code text} (or {@code varchar}) value encoded to UTF-8; an unpaired surrogate becomes {@code ?}, as
     * {@code String.getBytes(UTF_8)} renders it. {@code null} gives NULL.
     */
    public CopyBinary text(CharSequence value) {
        if (value == null) {
            return nullValue();
        }
        int length = value.length();
        ensure(4 + length);
        int lengthAt = size;
        size += 4;
        utf8(value, length);
        patchLength(lengthAt);
        return this;
    }

    /**
     * A {@code json} value: its binary form is the JSON text. Rendered from maps, lists, strings, numbers, booleans
     * and nulls (other values through {@link Json#write}) exactly as {@link CopyText#json} renders them, but straight
     * into the buffer as UTF-8; {@code null} gives NULL.
     */
    public CopyBinary json(Object value) {
        if (value == null) {
            return nullValue();
        }
        ensure(4);
        int lengthAt = size;
        size += 4;
        jsonValue(value);
        patchLength(lengthAt);
        return this;
    }

    private void jsonValue(Object value) {
        if (value == null) {
            ascii("null");
        } else if (value instanceof String text) {
            jsonString(text);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            decimal(((Number) value).longValue());
        } else if (value instanceof Boolean bool) {
            ascii(bool ? "true" : "false");
        } else if (value instanceof List<?> list) {
            ascii('[');
            for (int i = 0, n = list.size(); i < n; i++) {
                if (i > 0) {
                    ascii(',');
                }
                jsonValue(list.get(i));
            }
            ascii(']');
        } else if (value instanceof Map<?, ?> map) {
            ascii('{');
            int open = size;
            // forEach, not entrySet(): an unmodifiable view then hands over its map's entries without a wrapper each
            map.forEach((key, each) -> {
                if (size > open) {
                    ascii(',');
                }
                jsonString(String.valueOf(key));
                ascii(':');
                jsonValue(each);
            });
            ascii('}');
        } else {
            String json = Json.write(value);
            utf8(json, json.length());
        }
    }

    /** A JSON string, escaped as {@link Json#appendString} escapes it, encoded to UTF-8. */
    private void jsonString(String text) {
        ascii('"');
        int n = text.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            utf8(text, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                case '\t' -> ascii("\\t");
                case '\b' -> ascii("\\b");
                case '\f' -> ascii("\\f");
                case '\u0000' -> utf8("\uFFFD", 1);
                default -> {
                    ascii("\\u00");
                    ascii(HEX_DIGITS[c >> 4]);
                    ascii(HEX_DIGITS[c & 0xF]);
                }
            }
        }
        utf8(text, from, n);
        ascii('"');
    }

    private void decimal(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int start = size;
        do {
            bytes[size++] = (byte) ('0' + (value % 10));
            value /= 10;
        } while (value != 0);
        for (int left = start, right = size - 1; left < right; left++, right--) {
            byte swap = bytes[left];
            bytes[left] = bytes[right];
            bytes[right] = swap;
        }
    }

    private void ascii(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
    }

    private void ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    /**
     * A {@code numeric}: base-10000 digits with weight, sign and display scale (the value's scale, at least 0).
     * {@code null} gives NULL.
     */
    public CopyBinary numeric(BigDecimal value) {
        if (value == null) {
            return nullValue();
        }
        int scale = value.scale();
        int dscale = Math.max(0, scale);
        int sign = value.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS;
        // align the fraction on a base-10000 digit: unscaled * 10^pad, whose last (scale + pad) / 4 digits are the
        // fraction
        int ndigits;
        int fractionDigits;
        if (scale >= 0 && value.precision() <= 15) {
            int pad = (4 - scale % 4) % 4;
            long aligned = Math.abs(value.unscaledValue().longValue()) * POWERS[pad];
            fractionDigits = (scale + pad) / 4;
            ndigits = 0;
            while (aligned != 0) {
                ensureDigits(ndigits + 1);
                digits[ndigits++] = (short) (aligned % 10_000);
                aligned /= 10_000;
            }
        } else {
            BigInteger aligned = value.unscaledValue().abs();
            if (scale < 0) {
                aligned = aligned.multiply(BigInteger.TEN.pow(-scale));
                scale = 0;
            }
            int pad = (4 - scale % 4) % 4;
            aligned = aligned.multiply(BigInteger.TEN.pow(pad));
            fractionDigits = (scale + pad) / 4;
            ndigits = 0;
            while (aligned.signum() != 0) {
                BigInteger[] quotientAndRemainder = aligned.divideAndRemainder(NBASE);
                ensureDigits(ndigits + 1);
                digits[ndigits++] = quotientAndRemainder[1].shortValue();
                aligned = quotientAndRemainder[0];
            }
        }
        int weight = ndigits - fractionDigits - 1;
        int low = 0;
        while (low < ndigits && digits[low] == 0) {
            low++; // trailing zero digits carry nothing (the display scale keeps the zeros in the text form)
        }
        int count = ndigits - low;
        if (count == 0) {
            weight = 0;
            sign = NUMERIC_POS;
        }
        ensure(4 + 8 + 2 * count);
        putInt(8 + 2 * count);
        putShort(count);
        putShort(weight);
        putShort(sign);
        putShort(dscale);
        for (int i = ndigits - 1; i >= low; i--) {
            putShort(digits[i]);
        }
        return this;
    }

    private void ensureDigits(int count) {
        if (count > digits.length) {
            digits = Arrays.copyOf(digits, Math.max(count, digits.length * 2));
        }
    }

    private void utf8(CharSequence value, int length) {
        utf8(value, 0, length);
    }

    private void utf8(CharSequence value, int from, int to) {
        ensure(3 * (to - from)); // the most a UTF-16 unit takes (a surrogate pair: 4 bytes for 2 units)
        byte[] out = bytes;
        int at = size;
        int i = from;
        while (i < to && (value.charAt(i) < 0x80)) { // the usual case, ASCII: one byte per char, no branches below
            out[at++] = (byte) value.charAt(i++);
        }
        for (; i < to; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(value.charAt(i + 1))) {
                int code = Character.toCodePoint(c, value.charAt(++i));
                out[at++] = (byte) (0xF0 | (code >> 18));
                out[at++] = (byte) (0x80 | ((code >> 12) & 0x3F));
                out[at++] = (byte) (0x80 | ((code >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (code & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out[at++] = '?';
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = at;
    }

    private void patchLength(int at) {
        int length = size - at - 4;
        bytes[at] = (byte) (length >>> 24);
        bytes[at + 1] = (byte) (length >>> 16);
        bytes[at + 2] = (byte) (length >>> 8);
        bytes[at + 3] = (byte) length;
    }

    private void putShort(int value) {
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void putInt(int value) {
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
