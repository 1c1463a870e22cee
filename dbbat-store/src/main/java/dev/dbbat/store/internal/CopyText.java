package dev.dbbat.store.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL {@code COPY ... FROM STDIN} text-format buffer: values are escaped and encoded to UTF-8 straight into
 * one growable byte array, without a String per value (the store writer renders tens of thousands of statement records
 * a second with it). Internal; not thread-safe: one instance per COPY.
 */
public final class CopyText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long MAX_FORMATTED_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59)
            .toEpochSecond(ZoneOffset.UTC);

    private byte[] bytes;
    private int size;
    private final StringBuilder json = new StringBuilder(64);
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] cachedDateTime = new byte[19];

    /** A buffer with room for {@code capacity} bytes to start with (it grows as needed). */
    public CopyText(int capacity) {
        this.bytes = new byte[Math.max(64, capacity)];
    }

    /** The bytes written so far are {@code array()[0, size())}. */
    public byte[] array() {
        return bytes;
    }

    public int size() {
        return size;
    }

    /** The column separator. */
    public CopyText tab() {
        return ascii('\t');
    }

    /** The row terminator. */
    public CopyText endRow() {
        return ascii('\n');
    }

    /** {@code \N}: SQL NULL. */
    public CopyText nullValue() {
        ensure(2);
        bytes[size++] = '\\';
        bytes[size++] = 'N';
        return this;
    }

    /** A text value, escaped ({@code \\ \n \r \t}) and encoded to UTF-8; {@code null} gives {@code \N}. */
    public CopyText text(CharSequence value) {
        if (value == null) {
            return nullValue();
        }
        int length = value.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> pair('\\', '\\');
                    case '\n' -> pair('\\', 'n');
                    case '\r' -> pair('\\', 'r');
                    case '\t' -> pair('\\', 't');
                    default -> ascii(c);
                }
            } else if (c < 0x800) {
                ensure(2);
                bytes[size++] = (byte) (0xC0 | (c >> 6));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                int code = Character.toCodePoint(c, value.charAt(++i));
                ensure(4);
                bytes[size++] = (byte) (0xF0 | (code >> 18));
                bytes[size++] = (byte) (0x80 | ((code >> 12) & 0x3F));
                bytes[size++] = (byte) (0x80 | ((code >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (code & 0x3F));
            } else if (Character.isSurrogate(c)) {
                ascii('?'); // an unpaired surrogate, as String.getBytes(UTF_8) renders it
            } else {
                ensure(3);
                bytes[size++] = (byte) (0xE0 | (c >> 12));
                bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return this;
    }

    /** A UUID in its canonical lower-case form. */
    public CopyText uuid(UUID value) {
        ensure(36);
        long msb = value.getMostSignificantBits();
        long lsb = value.getLeastSignificantBits();
        hex(msb >>> 32, 8);
        ascii('-');
        hex(msb >>> 16, 4);
        ascii('-');
        hex(msb, 4);
        ascii('-');
        hex(lsb >>> 48, 4);
        ascii('-');
        hex(lsb, 12);
        return this;
    }

    /** A decimal integer. */
    public CopyText number(long value) {
        if (value == Long.MIN_VALUE) {
            return text(Long.toString(value));
        }
        ensure(20);
        if (value < 0) {
            ascii('-');
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
        return this;
    }

    /** A numeric without exponent; {@code null} gives {@code \N}. */
    public CopyText decimal(BigDecimal value) {
        if (value == null) {
            return nullValue();
        }
        int scale = value.scale();
        if (scale >= 0 && scale <= 9 && value.precision() <= 18) {
            BigInteger unscaled = value.unscaledValue();
            long digits = unscaled.longValue();
            if (digits < 0) {
                ascii('-');
                digits = -digits;
            }
            long divisor = POWERS[scale];
            number(digits / divisor);
            if (scale > 0) {
                ascii('.');
                long fraction = digits % divisor;
                for (long each = divisor / 10; each > 0; each /= 10) {
                    ascii((char) ('0' + (fraction / each) % 10));
                }
            }
            return this;
        }
        return text(value.toPlainString());
    }

    private static final long[] POWERS = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L};

    /** {@code t} or {@code f}. */
    public CopyText bool(boolean value) {
        return ascii(value ? 't' : 'f');
    }

    /**
     * An ISO-8601 UTC timestamp rounded to microseconds ({@code 2026-11-25T08:00:00.123457Z}), as the JDBC driver
     * sends a timestamptz; the date and time of day are formatted once per second.
     */
    public CopyText timestamp(Instant instant) {
        Instant rounded = instant.plusNanos(500);
        long second = rounded.getEpochSecond();
        if (second < 0 || second > MAX_FORMATTED_SECOND) {
            return text(rounded.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString());
        }
        if (second != cachedSecond) {
            LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            digits(cachedDateTime, 0, time.getYear(), 4);
            cachedDateTime[4] = '-';
            digits(cachedDateTime, 5, time.getMonthValue(), 2);
            cachedDateTime[7] = '-';
            digits(cachedDateTime, 8, time.getDayOfMonth(), 2);
            cachedDateTime[10] = 'T';
            digits(cachedDateTime, 11, time.getHour(), 2);
            cachedDateTime[13] = ':';
            digits(cachedDateTime, 14, time.getMinute(), 2);
            cachedDateTime[16] = ':';
            digits(cachedDateTime, 17, time.getSecond(), 2);
            cachedSecond = second;
        }
        ensure(28);
        System.arraycopy(cachedDateTime, 0, bytes, size, 19);
        size += 19;
        int micros = rounded.getNano() / 1000;
        if (micros != 0) {
            bytes[size++] = '.';
            digits(bytes, size, micros, 6);
            size += 6;
        }
        bytes[size++] = 'Z';
        return this;
    }

    /**
     * A JSON document rendered from maps, lists, strings, numbers, booleans and nulls (other values through
     * {@link Json#write}), escaped for COPY; {@code null} gives {@code \N}.
     */
    public CopyText json(Object value) {
        if (value == null) {
            return nullValue();
        }
        json.setLength(0);
        writeJson(json, value);
        return text(json);
    }

    static void writeJson(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            jsonString(out, text);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0, n = list.size(); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeJson(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                jsonString(out, String.valueOf(entry.getKey()));
                out.append(':');
                writeJson(out, entry.getValue());
            }
            out.append('}');
        } else {
            out.append(Json.write(value));
        }
    }

    private static void jsonString(StringBuilder out, String text) {
        Json.appendString(out, text);
    }

    private CopyText ascii(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
        return this;
    }

    private void pair(char first, char second) {
        ensure(2);
        bytes[size++] = (byte) first;
        bytes[size++] = (byte) second;
    }

    private void hex(long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            bytes[size++] = HEX[(int) (value >>> shift) & 0xF];
        }
    }

    private static void digits(byte[] target, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            target[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
