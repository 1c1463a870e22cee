package dev.dbbat.protocol.pg.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * Runs every ALLOW case of {@code readonly-corpus.txt} on a real PostgreSQL, in a session set up like the proxy sets
 * up a read-only grant's upstream ({@code SET SESSION default_transaction_read_only = on}): each must succeed, which
 * proves the allow-list is valid SQL and truly read-only. Also shows that some refused statements do get past that
 * server-side default, i.e. why the classifier must refuse them.
 *
 * <p>Uses embedded PostgreSQL; set {@code -Ddbbat.it.pg.url=jdbc:postgresql://host:port/db?user=...} to use an
 * existing server instead (PostgreSQL refuses to start as root).
 */
class ReadOnlyCorpusIT {

    private static EmbeddedPostgres embedded;
    private static String url;

    @BeforeAll
    static void startPostgres() throws Exception {
        url = System.getProperty("dbbat.it.pg.url", "");
        if (url.isEmpty()) {
            embedded = EmbeddedPostgres.builder().start();
            url = embedded.getJdbcUrl("postgres", "postgres");
        }
        try (Connection connection = DriverManager.getConnection(url, properties());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS t, updates, new_t, x; DROP SEQUENCE IF EXISTS s");
            statement.execute(SqlCorpus.resource("readonly-fixture.sql"));
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }

    static Stream<SqlCorpus.Case> allowedCases() {
        return SqlCorpus.readOnlyCases().stream().filter(each -> each.expectation().equals("ALLOW"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowedCases")
    void runsAllowedStatementInReadOnlySession(SqlCorpus.Case corpusCase) throws SQLException {
        try (Connection connection = readOnlySession()) {
            assertThatCode(() -> execute(connection, corpusCase.sql())).doesNotThrowAnyException();
            assertThat(rowCount(connection)).isEqualTo(2);
        }
    }

    @Test
    void serverDefaultAloneLetsReadWriteTransactionsDelete() throws SQLException {
        try (Connection connection = readOnlySession()) {
            execute(connection, "BEGIN READ WRITE; DELETE FROM t; ROLLBACK");
        }
        assertThat(PgStatementPolicy.check("BEGIN READ WRITE; DELETE FROM t; ROLLBACK",
                java.util.EnumSet.of(dev.dbbat.core.event.Control.READ_ONLY)).allowed()).isFalse();
    }

    @Test
    void serverDefaultAloneLetsSetConfigTurnReadOnlyOff() throws SQLException {
        try (Connection connection = readOnlySession()) {
            execute(connection, "SELECT set_config('default_transaction_read_only', 'off', false)");
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SHOW default_transaction_read_only")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("off");
            }
        }
    }

    @Test
    void serverDefaultAloneLetsAdvisoryLocksThrough() throws SQLException {
        try (Connection connection = readOnlySession()) {
            assertThatCode(() -> execute(connection, "SELECT pg_advisory_lock(42)")).doesNotThrowAnyException();
        }
    }

    @Test
    void serverRefusesWritesInReadOnlySession() throws SQLException {
        try (Connection connection = readOnlySession()) {
            assertThatCode(() -> execute(connection, "DELETE FROM t"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only transaction");
        }
    }

    private static Connection readOnlySession() throws SQLException {
        Connection connection = DriverManager.getConnection(url, properties());
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION default_transaction_read_only = on");
        }
        return connection;
    }

    private static Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("preferQueryMode", "simple");
        return properties;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        if (sql.stripLeading().regionMatches(true, 0, "COPY", 0, 4)) {
            try {
                new CopyManager((BaseConnection) connection).copyOut(sql, OutputStream.nullOutputStream());
            } catch (java.io.IOException e) {
                throw new SQLException(e);
            }
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        }
    }

    private static int rowCount(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM public.t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
