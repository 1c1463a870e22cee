package dev.dbbat.protocol.pg.sql;

/**
 * One lexical token of PostgreSQL SQL.
 *
 * @param kind the token class
 * @param text for {@link Kind#WORD} the ASCII-lower-cased identifier or keyword; for {@link Kind#QUOTED_IDENT} the
 *     decoded name; for the string kinds the decoded content; otherwise the source text
 * @param offset index of the token's first character in the source
 */
record PgToken(Kind kind, String text, int offset) {

    /** Token classes, as far as statement classification needs them. */
    enum Kind {
        /** Unquoted identifier or keyword, folded to lower case like the server does. */
        WORD,
        /** {@code "..."} or {@code U&"..."}, case preserved. */
        QUOTED_IDENT,
        /** {@code '...'}, {@code E'...'}, {@code N'...'}, {@code U&'...'}. */
        STRING,
        /** {@code $tag$...$tag$}. */
        DOLLAR_STRING,
        /** {@code B'...'} and {@code X'...'}. */
        BIT_STRING,
        NUMBER,
        /** {@code $1}. */
        PARAM,
        OPERATOR,
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        COMMA,
        DOT,
        SEMICOLON,
        /** A character the server's lexer does not accept as a token start (a syntax error there). */
        OTHER
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equals(word);
    }

    boolean is(Kind other) {
        return kind == other;
    }

    /** An identifier usable as a name: a plain word or a quoted identifier. */
    boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED_IDENT;
    }

    /** A string constant of any spelling, including dollar-quoted. */
    boolean isStringConstant() {
        return kind == Kind.STRING || kind == Kind.DOLLAR_STRING;
    }
}
