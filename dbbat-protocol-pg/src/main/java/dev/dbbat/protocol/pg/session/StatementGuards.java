package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.protocol.pg.sql.PgStatementPolicy;
import dev.dbbat.protocol.pg.sql.SqlVerdict;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Chooses the SQL policy implementation: the lexer-based {@link PgStatementPolicy}. */
final class StatementGuards {
    private StatementGuards() {}

    static StatementGuard standard() {
        return new StatementGuard() {
            @Override
            public Optional<String> refusal(String sql, Set<Control> controls) {
                SqlVerdict verdict = PgStatementPolicy.check(sql, controls);
                return verdict.allowed() ? Optional.empty() : Optional.of(verdict.message());
            }

            @Override
            public Optional<CopyInfo> copyInfo(String sql) {
                // asked for every statement: skip the lexer unless the keyword can be there at all
                return mentionsCopy(sql) ? PgStatementPolicy.copyInfo(sql) : Optional.empty();
            }

            @Override
            public List<String> copyColumns(String sql) {
                return PgStatementPolicy.copyColumns(sql);
            }
        };
    }

    /**
     * Whether {@code sql} contains the letters {@code copy} in any case. A COPY statement's keyword is always written
     * out in plain letters (no escape form exists for keywords), so SQL without them holds no COPY.
     */
    static boolean mentionsCopy(String sql) {
        for (int i = sql.indexOf('o', 1), n = sql.length() - 2; i >= 1 && i < n; i = sql.indexOf('o', i + 1)) {
            if (isCopyAt(sql, i - 1)) {
                return true;
            }
        }
        for (int i = sql.indexOf('O', 1), n = sql.length() - 2; i >= 1 && i < n; i = sql.indexOf('O', i + 1)) {
            if (isCopyAt(sql, i - 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCopyAt(String sql, int at) {
        return (sql.charAt(at) | 0x20) == 'c' && (sql.charAt(at + 1) | 0x20) == 'o'
                && (sql.charAt(at + 2) | 0x20) == 'p' && (sql.charAt(at + 3) | 0x20) == 'y';
    }
}
