package dev.dbbat.protocol.pg.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.CopyInfo;
import org.junit.jupiter.api.Test;

class StatementGuardsTest {
    private final StatementGuard guard = StatementGuards.standard();

    @Test
    void findsCopyInAnyCaseAndPosition() {
        assertThat(StatementGuards.mentionsCopy("copy t to stdout")).isTrue();
        assertThat(StatementGuards.mentionsCopy("/* x */ CoPy t FROM STDIN")).isTrue();
        assertThat(StatementGuards.mentionsCopy("select 1; COPY")).isTrue();
        assertThat(StatementGuards.mentionsCopy("SELECT abalance FROM pgbench_accounts WHERE aid = $1")).isFalse();
        assertThat(StatementGuards.mentionsCopy("cop")).isFalse();
        assertThat(StatementGuards.mentionsCopy("")).isFalse();
    }

    @Test
    void copyInfoIsUnchangedByThePreFilter() {
        assertThat(guard.copyInfo("COPY t (a) TO STDOUT WITH (FORMAT csv)")).contains(new CopyInfo("out", "csv"));
        assertThat(guard.copyInfo("select 'copy' from t")).isEmpty();
        assertThat(guard.copyInfo("SELECT 1")).isEmpty();
    }
}
