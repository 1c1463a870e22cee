package dev.dbbat.bench.jmh;

import dev.dbbat.core.event.Control;
import dev.dbbat.protocol.pg.sql.PgStatementPolicy;
import dev.dbbat.protocol.pg.sql.SqlVerdict;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per statement for the PostgreSQL SQL policy: lexer + classifier under a read-only grant
 * ({@code check}), and under a grant without controls ({@code checkFullAccess}), where SQL that cannot spell a
 * password change is not lexed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassifierBenchmark {
    private static final Set<Control> READ_ONLY = Set.of(Control.READ_ONLY);

    @Param({"pgbench-select", "catalog", "cte-write"})
    public String statement;

    private String sql;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        sql = switch (statement) {
            case "pgbench-select" -> "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;";
            case "catalog" -> "SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' THEN "
                    + "'table' WHEN 'v' THEN 'view' END as \"Type\", pg_catalog.pg_get_userbyid(c.relowner) as "
                    + "\"Owner\" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = "
                    + "c.relnamespace WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND "
                    + "pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2;";
            case "cte-write" -> "WITH d AS (DELETE FROM t WHERE id IN (SELECT id FROM t /* x */ LIMIT 10) "
                    + "RETURNING *) SELECT count(*) FROM d";
            default -> throw new IllegalArgumentException(statement);
        };
    }

    @Benchmark
    public SqlVerdict check() {
        return PgStatementPolicy.check(sql, READ_ONLY);
    }

    @Benchmark
    public SqlVerdict checkFullAccess() {
        return PgStatementPolicy.check(sql, Set.of());
    }
}
