package dev.dbbat.protocol.pg.sql;

import dev.dbbat.protocol.pg.sql.PgToken.Kind;
import java.util.ArrayList;
import java.util.List;

/** Small helpers over token lists. Stateless. */
final class PgTokens {

    private PgTokens() {}

    /** Splits on {@code ;}, dropping empty statements. */
    static List<List<PgToken>> statements(List<PgToken> tokens) {
        List<List<PgToken>> statements = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            if (i == tokens.size() || tokens.get(i).is(Kind.SEMICOLON)) {
                if (i > start) {
                    statements.add(tokens.subList(start, i));
                }
                start = i + 1;
            }
        }
        return statements;
    }

    /** Index after the {@code )} matching the {@code (} at {@code lparen}, or the list size when unbalanced. */
    static int skipParens(List<PgToken> tokens, int lparen) {
        int depth = 0;
        for (int i = lparen; i < tokens.size(); i++) {
            Kind kind = tokens.get(i).kind();
            if (kind == Kind.LPAREN) {
                depth++;
            } else if (kind == Kind.RPAREN && --depth == 0) {
                return i + 1;
            }
        }
        return tokens.size();
    }

    /** Index of the first {@code word} outside parentheses at or after {@code from}, or -1. */
    static int indexOfTopLevelWord(List<PgToken> tokens, int from, String word) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            PgToken token = tokens.get(i);
            if (token.is(Kind.LPAREN)) {
                depth++;
            } else if (token.is(Kind.RPAREN)) {
                depth--;
            } else if (depth == 0 && token.isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the words {@code first second} appear next to each other. */
    static boolean containsPair(List<PgToken> tokens, String first, String second) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isWord(first) && tokens.get(i + 1).isWord(second)) {
                return true;
            }
        }
        return false;
    }

    static boolean containsWord(List<PgToken> tokens, String word) {
        for (PgToken token : tokens) {
            if (token.isWord(word)) {
                return true;
            }
        }
        return false;
    }

    static boolean isWord(List<PgToken> tokens, int i, String word) {
        return i >= 0 && i < tokens.size() && tokens.get(i).isWord(word);
    }

    static boolean is(List<PgToken> tokens, int i, Kind kind) {
        return i >= 0 && i < tokens.size() && tokens.get(i).is(kind);
    }
}
