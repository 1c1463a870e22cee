package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real psql (Debian postgresql-client) through the proxy. */
class PsqlIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17());
        try (Connection connection = proxy.upstream.appConnection(); Statement statement =
                connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS psql_items");
            statement.execute("CREATE TABLE psql_items (id int PRIMARY KEY, name text)");
            statement.execute("INSERT INTO psql_items VALUES (1, 'one'), (2, 'two')");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void runsACommand() throws Exception {
        Cli.Result result = Cli.run(proxy, "main", "-At", "-c", "select 1");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().trim()).isEqualTo("1");
    }

    @Test
    void describesTablesUnderReadOnlyGrant() throws Exception {
        Cli.Result tables = Cli.run(proxy, "ro", "-c", "\\dt");
        assertThat(tables.exitCode()).as(tables.output()).isZero();
        assertThat(tables.output()).contains("psql_items");
        Cli.Result table = Cli.run(proxy, "ro", "-c", "\\d psql_items");
        assertThat(table.exitCode()).as(table.output()).isZero();
        assertThat(table.output()).contains("psql_items_pkey");
        Cli.Result refused = Cli.run(proxy, "ro", "-c", "delete from psql_items");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("write operations not permitted");
    }

    @Test
    void copiesWithBackslashCopy() throws Exception {
        Cli.Result result = Cli.run(proxy, "ro", "-c", "\\copy psql_items to stdout with csv");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1,one").contains("2,two");
    }

    @Test
    void copiesInWithBackslashCopy() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("dbbat-copy", ".csv");
        try {
            java.nio.file.Files.writeString(file, "10,ten\n11,eleven\n");
            String copy = "\\copy psql_items (id, name) from '" + file + "' csv";
            Cli.Result result = Cli.run(proxy, "main", "-c", copy);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("COPY 2");
            Cli.Result refused = Cli.run(proxy, "ro", "-c", copy);
            assertThat(refused.exitCode()).isNotZero();
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        assertThat(proxy.interceptor.completedFor("FROM STDIN").outcome().rowsAffected()).hasValue(2);
    }

    @Test
    void cancelsOnInterrupt() throws Exception {
        Process process = Cli.start(proxy, ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD,
                List.of("/usr/bin/psql", "-X", "-d", "main", "-c", "select pg_sleep(30)"));
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (proxy.interceptor.queries.stream().noneMatch(each -> each.sql().contains("pg_sleep"))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("psql never ran the statement: " + Cli.output(process));
                }
                Thread.sleep(50);
            }
            Thread.sleep(300);
            long started = System.nanoTime();
            Cli.interrupt(process);
            Cli.Result result = Cli.finish(process, 15);
            assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
            assertThat(result.output()).contains("canceling statement due to user request");
        } finally {
            process.destroyForcibly();
        }
    }
}
