package dev.dbbat.protocol.pg.sql;

import dev.dbbat.protocol.pg.sql.PgLexer.SqlLexException;

/** Decoding of {@code U&'...'} and {@code U&"..."} bodies ({@code \XXXX}, {@code \+XXXXXX}, doubled escape). */
final class PgUnicodeEscapes {

    private PgUnicodeEscapes() {}

    static String decode(String body, char escape, int at) {
        if (body.indexOf(escape) < 0) {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != escape) {
                out.append(c);
                i++;
            } else if (i + 1 < body.length() && body.charAt(i + 1) == escape) {
                out.append(escape);
                i += 2;
            } else if (i + 1 < body.length() && body.charAt(i + 1) == '+') {
                i = appendCodePoint(body, i + 2, 6, out, at);
            } else {
                i = appendCodePoint(body, i + 1, 4, out, at);
            }
        }
        return joinSurrogates(out, at);
    }

    private static int appendCodePoint(String body, int first, int digits, StringBuilder out, int at) {
        if (first + digits > body.length()) {
            throw new SqlLexException("invalid Unicode escape at " + at);
        }
        int codePoint = 0;
        for (int i = first; i < first + digits; i++) {
            char c = body.charAt(i);
            if (!PgLexer.isHexDigit(c)) {
                throw new SqlLexException("invalid Unicode escape at " + at);
            }
            codePoint = codePoint * 16 + Character.digit(c, 16);
        }
        if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
            out.append((char) codePoint);
        } else {
            PgEscapes.appendCodePoint(codePoint, at, out);
        }
        return first + digits;
    }

    /** Escaped surrogates must come as a high/low pair, like the server requires. */
    private static String joinSurrogates(StringBuilder out, int at) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(i + 1))) {
                    throw new SqlLexException("invalid Unicode surrogate pair at " + at);
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new SqlLexException("invalid Unicode surrogate pair at " + at);
            }
        }
        return out.toString();
    }
}
