package dev.dbbat.protocol.pg.sql;

import dev.dbbat.protocol.pg.sql.PgToken.Kind;
import java.util.List;

/**
 * A heuristic look into routine bodies ({@code DO} blocks, {@code CREATE FUNCTION/PROCEDURE}): PL/pgSQL uses the
 * same lexer as SQL, so a body's string constants are lexed again, down to a few levels, to find the words of a
 * password change ({@code ALTER|CREATE ... USER|ROLE|GROUP ... PASSWORD}), wherever they sit in the body. Dynamic
 * SQL assembled from fragments that hide these words (e.g. {@code 'PASS' || 'WORD'}) is not detected.
 */
final class PgRoutineBodies {

    private static final int MAX_DEPTH = 4;
    private static final int VERB = 1;
    private static final int ROLE = 2;
    private static final int PASSWORD = 4;
    private static final int ALL = VERB | ROLE | PASSWORD;

    private PgRoutineBodies() {}

    static boolean mayChangePassword(List<PgToken> statement) {
        int seen = 0;
        for (PgToken token : statement) {
            if (token.isStringConstant()) {
                seen |= wordsIn(token.text(), 1);
            }
        }
        return seen == ALL;
    }

    private static int wordsIn(String body, int depth) {
        int seen = 0;
        for (PgToken token : PgLexer.lex(body).tokens()) {
            if (token.is(Kind.WORD)) {
                seen |= flag(token.text());
            } else if (token.isStringConstant() && depth < MAX_DEPTH) {
                seen |= wordsIn(token.text(), depth + 1);
            }
        }
        return seen;
    }

    private static int flag(String word) {
        return switch (word) {
            case "alter", "create" -> VERB;
            case "user", "role", "group" -> ROLE;
            case "password" -> PASSWORD;
            default -> 0;
        };
    }
}
