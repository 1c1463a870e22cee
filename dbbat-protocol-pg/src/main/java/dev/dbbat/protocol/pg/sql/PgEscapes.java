package dev.dbbat.protocol.pg.sql;

import dev.dbbat.protocol.pg.sql.PgLexer.SqlLexException;

/** Backslash escapes of {@code E'...'} strings. Stateless. */
final class PgEscapes {

    private PgEscapes() {}

    /**
     * Appends the character(s) denoted by the escape starting at {@code sql[backslash]} and returns the index after
     * it. The caller guarantees a character follows the backslash.
     */
    static int appendEscape(String sql, int backslash, StringBuilder out) {
        int i = backslash + 1;
        char c = sql.charAt(i);
        switch (c) {
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'x' -> {
                return appendHex(sql, i, out);
            }
            case 'u' -> {
                return appendCodePoint(sql, i + 1, 4, out);
            }
            case 'U' -> {
                return appendCodePoint(sql, i + 1, 8, out);
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    return appendOctal(sql, i, out);
                }
                out.append(c);
            }
        }
        return i + 1;
    }

    private static int appendHex(String sql, int x, StringBuilder out) {
        int i = x + 1;
        int value = 0;
        while (i < sql.length() && i < x + 3 && PgLexer.isHexDigit(sql.charAt(i))) {
            value = value * 16 + Character.digit(sql.charAt(i), 16);
            i++;
        }
        if (i == x + 1) {
            out.append('x');
            return i;
        }
        out.append((char) value);
        return i;
    }

    private static int appendOctal(String sql, int first, StringBuilder out) {
        int i = first;
        int value = 0;
        while (i < sql.length() && i < first + 3 && sql.charAt(i) >= '0' && sql.charAt(i) <= '7') {
            value = value * 8 + (sql.charAt(i) - '0');
            i++;
        }
        out.append((char) (value & 0xFF));
        return i;
    }

    private static int appendCodePoint(String sql, int first, int digits, StringBuilder out) {
        if (first + digits > sql.length()) {
            throw new SqlLexException("invalid Unicode escape at " + first);
        }
        int codePoint = 0;
        for (int i = first; i < first + digits; i++) {
            int digit = Character.digit(sql.charAt(i), 16);
            if (digit < 0 || sql.charAt(i) > 'f') {
                throw new SqlLexException("invalid Unicode escape at " + first);
            }
            codePoint = codePoint * 16 + digit;
        }
        appendCodePoint(codePoint, first, out);
        return first + digits;
    }

    static void appendCodePoint(int codePoint, int at, StringBuilder out) {
        if (codePoint == 0 || !Character.isValidCodePoint(codePoint)) {
            throw new SqlLexException("invalid Unicode escape value at " + at);
        }
        out.appendCodePoint(codePoint);
    }
}
