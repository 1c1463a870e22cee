package dev.dbbat.protocol.pg.sql;

import dev.dbbat.protocol.pg.sql.PgToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-pass lexer for PostgreSQL SQL, following the token rules of the server's {@code scan.l}. Comments
 * ({@code --} and nested {@code /* *\/}) and whitespace are dropped. No regular expressions; stateless and
 * thread-safe.
 *
 * <p>Plain {@code '...'} strings depend on the session's {@code standard_conforming_strings}: with it on (the
 * default) a backslash is an ordinary character, with it off a backslash escapes. The caller chooses; the result
 * says whether a plain string held a backslash, i.e. whether the other setting could lex differently.
 *
 * @see <a href="https://www.postgresql.org/docs/current/sql-syntax-lexical.html">SQL lexical structure</a>
 */
final class PgLexer {

    /** Tokens lexed, up to the first error. */
    record Result(List<PgToken> tokens, String error, boolean backslashInPlainString) {
        boolean failed() {
            return error != null;
        }
    }

    private final String sql;
    private final boolean standardConformingStrings;
    private final List<PgToken> tokens = new ArrayList<>();
    private final StringBuilder value = new StringBuilder();
    private int pos;
    private boolean backslashInPlainString;

    private PgLexer(String sql, boolean standardConformingStrings) {
        this.sql = sql;
        this.standardConformingStrings = standardConformingStrings;
    }

    /** Lexes {@code sql} with {@code standard_conforming_strings} on. */
    static Result lex(String sql) {
        return lex(sql, true);
    }

    static Result lex(String sql, boolean standardConformingStrings) {
        PgLexer lexer = new PgLexer(sql, standardConformingStrings);
        String error;
        try {
            lexer.run();
            error = null;
        } catch (SqlLexException e) {
            error = e.getMessage();
        }
        return new Result(List.copyOf(lexer.tokens), error, lexer.backslashInPlainString);
    }

    private void run() {
        int length = sql.length();
        while (pos < length) {
            char c = sql.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                skipLineComment();
            } else if (c == '/' && peek(1) == '*') {
                skipBlockComment();
            } else {
                lexToken(c);
            }
        }
    }

    private void lexToken(char c) {
        int start = pos;
        char next = peek(1);
        switch (c) {
            case '\'' -> lexQuoted(start, start + 1, standardConformingStrings ? Mode.PLAIN : Mode.ESCAPE);
            case '"' -> lexQuotedIdentifier(start, start + 1, false);
            case '(' -> single(Kind.LPAREN, start);
            case ')' -> single(Kind.RPAREN, start);
            case '[' -> single(Kind.LBRACKET, start);
            case ']' -> single(Kind.RBRACKET, start);
            case ',' -> single(Kind.COMMA, start);
            case ';' -> single(Kind.SEMICOLON, start);
            case '$' -> lexDollar(start);
            case '.' -> {
                if (isDigit(next)) {
                    lexNumber(start);
                } else {
                    single(Kind.DOT, start);
                }
            }
            default -> lexOther(c, next, start);
        }
    }

    private void lexOther(char c, char next, int start) {
        if ((c == 'e' || c == 'E') && next == '\'') {
            lexQuoted(start, start + 2, Mode.ESCAPE);
        } else if ((c == 'n' || c == 'N') && next == '\'') {
            lexQuoted(start, start + 2, standardConformingStrings ? Mode.PLAIN : Mode.ESCAPE);
        } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
            lexQuoted(start, start + 2, Mode.BIT);
        } else if ((c == 'u' || c == 'U') && next == '&' && (peek(2) == '\'' || peek(2) == '"')) {
            if (peek(2) == '"') {
                lexQuotedIdentifier(start, start + 3, true);
            } else if (standardConformingStrings) {
                lexQuoted(start, start + 3, Mode.UNICODE);
            } else {
                throw new SqlLexException("unsafe use of string constant with Unicode escapes at " + start);
            }
        } else if (isIdentStart(c)) {
            lexWord(start);
        } else if (isDigit(c)) {
            lexNumber(start);
        } else if (isOperatorChar(c)) {
            lexOperator(start);
        } else if (c == ':') {
            pos = next == ':' || next == '=' ? start + 2 : start + 1;
            tokens.add(new PgToken(Kind.OPERATOR, sql.substring(start, pos), start));
        } else {
            single(Kind.OTHER, start);
        }
    }

    private void single(Kind kind, int start) {
        pos = start + 1;
        tokens.add(new PgToken(kind, sql.substring(start, pos), start));
    }

    private void skipLineComment() {
        while (pos < sql.length() && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
            pos++;
        }
    }

    private void skipBlockComment() {
        int start = pos;
        int depth = 0;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw new SqlLexException("unterminated /* comment at " + start);
    }

    private void lexWord(int start) {
        value.setLength(0);
        while (pos < sql.length() && isIdentCont(sql.charAt(pos))) {
            value.append(toLowerAscii(sql.charAt(pos)));
            pos++;
        }
        tokens.add(new PgToken(Kind.WORD, value.toString(), start));
    }

    private void lexNumber(int start) {
        if (sql.charAt(pos) == '0' && isRadixPrefix(peek(1)) && isHexDigit(peek(2))) {
            pos += 2;
            while (pos < sql.length() && (isHexDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                pos++;
            }
        } else {
            skipDigits();
            if (pos < sql.length() && sql.charAt(pos) == '.' && peek(1) != '.') {
                pos++;
                skipDigits();
            }
            char e = pos < sql.length() ? sql.charAt(pos) : 0;
            char sign = peek(1);
            if ((e == 'e' || e == 'E')
                    && (isDigit(sign) || ((sign == '+' || sign == '-') && isDigit(peek(2))))) {
                pos += 2;
                skipDigits();
            }
        }
        tokens.add(new PgToken(Kind.NUMBER, sql.substring(start, pos), start));
    }

    private void skipDigits() {
        while (pos < sql.length() && (isDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
            pos++;
        }
    }

    private void lexOperator(int start) {
        pos++;
        while (pos < sql.length() && isOperatorChar(sql.charAt(pos))) {
            char c = sql.charAt(pos);
            if ((c == '-' && peek(1) == '-') || (c == '/' && peek(1) == '*')) {
                break;
            }
            pos++;
        }
        tokens.add(new PgToken(Kind.OPERATOR, sql.substring(start, pos), start));
    }

    private void lexDollar(int start) {
        char next = peek(1);
        if (isDigit(next)) {
            pos = start + 1;
            skipDigits();
            tokens.add(new PgToken(Kind.PARAM, sql.substring(start, pos), start));
            return;
        }
        int tagEnd = start + 1;
        if (isIdentStart(next)) {
            tagEnd++;
            while (tagEnd < sql.length() && isDollarTagCont(sql.charAt(tagEnd))) {
                tagEnd++;
            }
        }
        if (tagEnd >= sql.length() || sql.charAt(tagEnd) != '$') {
            single(Kind.OTHER, start);
            return;
        }
        String tag = sql.substring(start, tagEnd + 1);
        int bodyStart = tagEnd + 1;
        int close = sql.indexOf(tag, bodyStart);
        if (close < 0) {
            throw new SqlLexException("unterminated dollar-quoted string at " + start);
        }
        pos = close + tag.length();
        tokens.add(new PgToken(Kind.DOLLAR_STRING, sql.substring(bodyStart, close), start));
    }

    private enum Mode {
        PLAIN,
        ESCAPE,
        BIT,
        UNICODE
    }

    private void lexQuoted(int start, int bodyStart, Mode mode) {
        value.setLength(0);
        pos = bodyStart;
        while (true) {
            lexQuotedBody(start, mode);
            int continued = quoteContinuation(pos);
            if (continued < 0) {
                break;
            }
            pos = continued;
        }
        String text = value.toString();
        if (mode == Mode.UNICODE) {
            text = PgUnicodeEscapes.decode(text, unicodeEscapeChar(), start);
        }
        tokens.add(new PgToken(mode == Mode.BIT ? Kind.BIT_STRING : Kind.STRING, text, start));
    }

    /** Reads up to and including the closing quote; {@code pos} is just after the opening quote. */
    private void lexQuotedBody(int start, Mode mode) {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\'') {
                if (mode != Mode.BIT && peek(1) == '\'') {
                    value.append('\'');
                    pos += 2;
                    continue;
                }
                pos++;
                return;
            }
            if (c == '\\' && mode == Mode.ESCAPE) {
                if (pos + 1 >= sql.length()) {
                    break;
                }
                pos = PgEscapes.appendEscape(sql, pos, value);
                continue;
            }
            if (c == '\\' && mode == Mode.PLAIN) {
                backslashInPlainString = true;
            }
            value.append(c);
            pos++;
        }
        throw new SqlLexException("unterminated quoted string at " + start);
    }

    /**
     * The server joins {@code 'a'} and {@code 'b'} separated by whitespace holding at least one newline. Returns the
     * index after the next opening quote, or -1.
     */
    private int quoteContinuation(int from) {
        int i = skipHorizontalWhitespace(from);
        if (i >= sql.length() || !isNewline(sql.charAt(i))) {
            return -1;
        }
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                i = endOfLine(i);
                if (i >= sql.length()) {
                    return -1;
                }
            } else {
                break;
            }
        }
        return i < sql.length() && sql.charAt(i) == '\'' ? i + 1 : -1;
    }

    private int skipHorizontalWhitespace(int from) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f' || c == 0x0B) {
                i++;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                i = endOfLine(i);
            } else {
                break;
            }
        }
        return i;
    }

    private int endOfLine(int from) {
        int i = from;
        while (i < sql.length() && !isNewline(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private void lexQuotedIdentifier(int start, int bodyStart, boolean unicode) {
        value.setLength(0);
        pos = bodyStart;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '"') {
                if (peek(1) == '"') {
                    value.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                if (value.length() == 0) {
                    throw new SqlLexException("zero-length delimited identifier at " + start);
                }
                String name = value.toString();
                if (unicode) {
                    name = PgUnicodeEscapes.decode(name, unicodeEscapeChar(), start);
                }
                tokens.add(new PgToken(Kind.QUOTED_IDENT, name, start));
                return;
            }
            value.append(c);
            pos++;
        }
        throw new SqlLexException("unterminated quoted identifier at " + start);
    }

    /** Consumes an optional {@code UESCAPE 'c'} after a {@code U&} constant and returns the escape character. */
    private char unicodeEscapeChar() {
        int i = skipSpaceAndComments(pos);
        if (i + 7 > sql.length() || !sql.regionMatches(true, i, "uescape", 0, 7)) {
            return '\\';
        }
        if (i + 7 < sql.length() && isIdentCont(sql.charAt(i + 7))) {
            return '\\';
        }
        int q = skipSpaceAndComments(i + 7);
        if (q + 2 >= sql.length() || sql.charAt(q) != '\'' || sql.charAt(q + 2) != '\'') {
            throw new SqlLexException("invalid Unicode escape character at " + i);
        }
        char escape = sql.charAt(q + 1);
        if (isHexDigit(escape) || escape == '+' || escape == '\'' || escape == '"' || isSpace(escape)) {
            throw new SqlLexException("invalid Unicode escape character at " + q);
        }
        pos = q + 3;
        return escape;
    }

    private int skipSpaceAndComments(int from) {
        int saved = pos;
        pos = from;
        try {
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (isSpace(c)) {
                    pos++;
                } else if (c == '-' && peek(1) == '-') {
                    skipLineComment();
                } else if (c == '/' && peek(1) == '*') {
                    skipBlockComment();
                } else {
                    break;
                }
            }
            return pos;
        } finally {
            pos = saved;
        }
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < sql.length() ? sql.charAt(i) : 0;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagCont(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isRadixPrefix(char c) {
        return c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 'b' || c == 'B';
    }

    private static boolean isOperatorChar(char c) {
        return switch (c) {
            case '+', '-', '*', '/', '<', '>', '=', '~', '!', '@', '#', '%', '^', '&', '|', '`', '?' -> true;
            default -> false;
        };
    }

    static char toLowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Unchecked, caught inside this package only: lexing stops at the first error. */
    static final class SqlLexException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlLexException(String message) {
            super(message, null, false, false);
        }
    }
}
