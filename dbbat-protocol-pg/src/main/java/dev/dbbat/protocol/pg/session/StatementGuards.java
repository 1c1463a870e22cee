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
                return PgStatementPolicy.copyInfo(sql);
            }

            @Override
            public List<String> copyColumns(String sql) {
                return PgStatementPolicy.copyColumns(sql);
            }
        };
    }
}
