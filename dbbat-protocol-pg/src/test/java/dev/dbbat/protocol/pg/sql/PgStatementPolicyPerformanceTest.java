package dev.dbbat.protocol.pg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.Control;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A coarse guard against pathological slowness (the target is under 5 µs for a 200-character statement; the bound
 * here is loose because the test machines are shared).
 */
class PgStatementPolicyPerformanceTest {

    private static final Set<Control> READ_ONLY = EnumSet.of(Control.READ_ONLY);
    private static final String STATEMENT = "SELECT c.id, c.name, o.total /* report */ FROM customers c "
            + "JOIN orders o ON o.customer_id = c.id WHERE c.name LIKE 'A%' AND o.created_at > now() - interval '7 "
            + "days' AND o.status IN ('open', 'paid') ORDER BY o.total DESC LIMIT 50";

    @Test
    void checksA200CharacterStatementQuickly() {
        assertThat(STATEMENT.length()).isBetween(190, 230);
        for (int i = 0; i < 50_000; i++) {
            assertThat(PgStatementPolicy.check(STATEMENT, READ_ONLY).allowed()).isTrue();
        }
        int runs = 100_000;
        long start = System.nanoTime();
        int allowed = 0;
        for (int i = 0; i < runs; i++) {
            allowed += PgStatementPolicy.check(STATEMENT, READ_ONLY).allowed() ? 1 : 0;
        }
        double microsPerCheck = (System.nanoTime() - start) / 1000.0 / runs;

        assertThat(allowed).isEqualTo(runs);
        assertThat(microsPerCheck).as("µs per check").isLessThan(50.0);
    }

    @Test
    void lexesLongInputsWithoutBacktracking() {
        String deep = "SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000) + " /* " + "/* ".repeat(10_000);
        long start = System.nanoTime();

        SqlVerdict verdict = PgStatementPolicy.check(deep, READ_ONLY);

        assertThat(verdict).isEqualTo(SqlVerdict.refuse(PgStatementPolicy.UNPARSABLE));
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(2_000);
    }
}
