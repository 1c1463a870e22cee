package dev.dbbat.protocol.pg.sql;

import static dev.dbbat.protocol.pg.sql.PgTokens.is;
import static dev.dbbat.protocol.pg.sql.PgTokens.isWord;

import dev.dbbat.protocol.pg.sql.PgToken.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shape of one {@code COPY} statement, read from its tokens.
 *
 * <pre>
 * COPY [BINARY] name [(col, ...)] {FROM | TO} [PROGRAM] {'file' | STDIN | STDOUT} [[WITH] options] [WHERE ...]
 * COPY (query) TO [PROGRAM] {'file' | STDOUT} [[WITH] options]
 * </pre>
 *
 * @param direction {@code in} or {@code out}
 * @param client whether the data goes through the client connection (STDIN/STDOUT) rather than a server file or
 *     program
 * @param format {@code text}, {@code csv} or {@code binary}
 * @param columns the explicit column list, empty when none
 */
record PgCopyStatement(String direction, boolean client, String format, List<String> columns) {

    /** Parses a statement whose first token is {@code COPY}; empty when it does not have a COPY shape. */
    static Optional<PgCopyStatement> parse(List<PgToken> statement) {
        int i = 1;
        boolean oldBinary = false;
        if (isWord(statement, i, "binary")) {
            oldBinary = true;
            i++;
        }
        List<String> columns = new ArrayList<>();
        if (is(statement, i, Kind.LPAREN)) {
            i = PgTokens.skipParens(statement, i);
        } else {
            i = skipQualifiedName(statement, i);
            if (i < 0) {
                return Optional.empty();
            }
            if (is(statement, i, Kind.LPAREN)) {
                i = readColumns(statement, i, columns);
                if (i < 0) {
                    return Optional.empty();
                }
            }
        }
        String direction;
        if (isWord(statement, i, "from")) {
            direction = "in";
        } else if (isWord(statement, i, "to")) {
            direction = "out";
        } else {
            return Optional.empty();
        }
        i++;
        boolean program = isWord(statement, i, "program");
        if (program) {
            i++;
        }
        boolean client = !program && (isWord(statement, i, "stdin") || isWord(statement, i, "stdout"));
        String format = format(statement, i + 1, oldBinary);
        return Optional.of(new PgCopyStatement(direction, client, format, List.copyOf(columns)));
    }

    private static int skipQualifiedName(List<PgToken> statement, int from) {
        int i = from;
        if (i >= statement.size() || !statement.get(i).isName()) {
            return -1;
        }
        i++;
        while (is(statement, i, Kind.DOT) && i + 1 < statement.size() && statement.get(i + 1).isName()) {
            i += 2;
        }
        return i;
    }

    private static int readColumns(List<PgToken> statement, int lparen, List<String> columns) {
        int i = lparen + 1;
        while (i < statement.size()) {
            PgToken token = statement.get(i);
            if (!token.isName()) {
                return -1;
            }
            columns.add(token.text());
            i++;
            if (is(statement, i, Kind.RPAREN)) {
                return i + 1;
            }
            if (!is(statement, i, Kind.COMMA)) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /** {@code FORMAT x} (new syntax) wins; otherwise the old {@code CSV} / {@code BINARY} keywords. */
    private static String format(List<PgToken> statement, int from, boolean oldBinary) {
        String oldStyle = oldBinary ? "binary" : "text";
        int depth = 0;
        for (int i = from; i < statement.size(); i++) {
            PgToken token = statement.get(i);
            if (token.is(Kind.LPAREN)) {
                depth++;
            } else if (token.is(Kind.RPAREN)) {
                depth--;
            } else if (depth == 0 && token.isWord("where")) {
                break;
            } else if (token.isWord("format") && i + 1 < statement.size()) {
                PgToken value = statement.get(i + 1);
                if (value.is(Kind.WORD) || value.isStringConstant() || value.is(Kind.QUOTED_IDENT)) {
                    return PgFunctions.lowerAscii(value.text());
                }
            } else if (depth == 0 && (token.isWord("csv") || token.isWord("binary"))) {
                oldStyle = token.text();
            }
        }
        return oldStyle;
    }
}
