package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.spi.Decision;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

class ProxyPolicyIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17());
        upstream("DROP TABLE IF EXISTS policy_items",
                "CREATE TABLE policy_items (id int PRIMARY KEY, name text)",
                "INSERT INTO policy_items VALUES (1, 'one'), (2, 'two')");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        proxy.interceptor.assertEachSessionClosedOnce();
    }

    @BeforeEach
    void reset() {
        proxy.interceptor.reset();
    }

    private static void upstream(String... sql) throws SQLException {
        try (Connection connection = proxy.upstream.appConnection(); Statement statement =
                connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private static long upstreamCount() throws SQLException {
        try (Connection connection = proxy.upstream.appConnection(); Statement statement =
                connection.createStatement(); ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM policy_items")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void refusesInsertOnReadOnlyGrantInSimpleMode() throws Exception {
        try (Connection connection = proxy.connect("ro", "preferQueryMode=simple")) {
            assertThatThrownBy(() -> connection.createStatement().execute("INSERT INTO policy_items VALUES (9, 'x')"))
                    .isInstanceOfSatisfying(SQLException.class, ex -> {
                        assertThat(ex.getSQLState()).isEqualTo("42501");
                        assertThat(ex.getMessage()).contains("read-only");
                    });
            assertThat(selectOne(connection)).isEqualTo(1);
        }
        assertThat(upstreamCount()).isEqualTo(2);
        RecordingInterceptor.Completed refused = proxy.interceptor.completedFor("INSERT INTO policy_items");
        assertThat(refused.outcome().refused()).isTrue();
        assertThat(refused.outcome().sqlState()).hasValue("42501");
    }

    @Test
    void refusesInsertOnReadOnlyGrantInExtendedMode() throws Exception {
        try (Connection connection = proxy.connect("ro", "");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO policy_items VALUES (?, ?)")) {
            insert.setInt(1, 9);
            insert.setString(2, "x");
            assertThatThrownBy(insert::executeUpdate).isInstanceOfSatisfying(SQLException.class,
                    ex -> assertThat(ex.getSQLState()).isEqualTo("42501"));
            assertThat(selectOne(connection)).isEqualTo(1);
            assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class);
            assertThat(selectOne(connection)).isEqualTo(1);
        }
        assertThat(upstreamCount()).isEqualTo(2);
    }

    @Test
    void keepsTheRealTransactionStatusAfterARefusal() throws Exception {
        for (String mode : new String[] {"preferQueryMode=simple", "preferQueryMode=extended"}) {
            try (Connection connection = proxy.connect("ro", mode)) {
                connection.setAutoCommit(false);
                BaseConnection base = connection.unwrap(BaseConnection.class);
                assertThat(selectOne(connection)).isEqualTo(1);
                assertThat(base.getTransactionState()).isEqualTo(TransactionState.OPEN);
                assertThatThrownBy(() -> connection.createStatement().executeUpdate(
                        "INSERT INTO policy_items VALUES (9, 'x')")).isInstanceOf(SQLException.class);
                // the statement never reached the upstream: its transaction is still open, not failed
                assertThat(base.getTransactionState()).as(mode).isEqualTo(TransactionState.OPEN);
                assertThat(selectOne(connection)).isEqualTo(1);
                connection.commit();
                assertThat(base.getTransactionState()).isEqualTo(TransactionState.IDLE);
            }
        }
        assertThat(upstreamCount()).isEqualTo(2);
    }

    @Test
    void readOnlySessionRefusesWritesThePolicyMissesToo() throws Exception {
        try (Connection connection = proxy.connect("ro", "preferQueryMode=simple")) {
            // SET SESSION default_transaction_read_only = on was run upstream at login
            try (ResultSet rows = connection.createStatement().executeQuery("SHOW default_transaction_read_only")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("on");
            }
            assertThatThrownBy(() -> connection.createStatement().execute(
                    "SET default_transaction_read_only = off")).isInstanceOf(SQLException.class);
            assertThat(selectOne(connection)).isEqualTo(1);
        }
    }

    @Test
    void readsMetadataUnderReadOnlyGrant() throws Exception {
        try (Connection connection = proxy.connect("ro", "")) {
            DatabaseMetaData metaData = connection.getMetaData();
            try (ResultSet tables = metaData.getTables(null, "public", "policy_items", null)) {
                assertThat(tables.next()).isTrue();
            }
            try (ResultSet columns = metaData.getColumns(null, "public", "policy_items", null)) {
                assertThat(columns.next()).isTrue();
                assertThat(columns.getString("COLUMN_NAME")).isEqualTo("id");
            }
        }
    }

    @Test
    void refusesDdlOnBlockDdlGrant() throws Exception {
        try (Connection connection = proxy.connect("noddl", "")) {
            assertThatThrownBy(() -> connection.createStatement().execute("CREATE TABLE ddl_probe (id int)"))
                    .isInstanceOfSatisfying(SQLException.class,
                            ex -> assertThat(ex.getMessage()).contains("DDL operations not permitted"));
            assertThat(connection.createStatement().executeUpdate(
                    "UPDATE policy_items SET name = name WHERE id = 1")).isEqualTo(1);
        }
        try (Connection connection = proxy.upstream.appConnection(); ResultSet rows = connection.createStatement()
                .executeQuery("SELECT to_regclass('ddl_probe') IS NULL")) {
            rows.next();
            assertThat(rows.getBoolean(1)).isTrue();
        }
    }

    @Test
    void refusesAStatementInTheMiddleOfAPipelinedBatch() throws Exception {
        upstream("DROP TABLE IF EXISTS pipeline_items", "CREATE TABLE pipeline_items (id int)");
        try (Connection connection = proxy.connect("noddl", "")) {
            Statement batch = connection.createStatement();
            batch.addBatch("INSERT INTO pipeline_items VALUES (1)");
            batch.addBatch("CREATE TABLE ddl_probe_2 (id int)");
            batch.addBatch("INSERT INTO pipeline_items VALUES (3)");
            assertThatThrownBy(batch::executeBatch).isInstanceOfSatisfying(SQLException.class,
                    ex -> assertThat(ex.getMessage()).contains("DDL operations not permitted"));
            assertThat(selectOne(connection)).isEqualTo(1);
            assertThat(connection.unwrap(BaseConnection.class).getTransactionState())
                    .isEqualTo(TransactionState.IDLE);
        }
        try (Connection connection = proxy.upstream.appConnection(); ResultSet rows = connection.createStatement()
                .executeQuery("SELECT coalesce(string_agg(id::text, ','), '') || '/' "
                        + "|| (to_regclass('ddl_probe_2') IS NULL) FROM pipeline_items")) {
            rows.next();
            // like PostgreSQL, the failed batch (one implicit transaction) is rolled back as a whole
            assertThat(rows.getString(1)).isEqualTo("/true");
        }
    }

    @Test
    void relaysFastpathFunctionCallsAndRefusesThemUnderReadOnly() throws Exception {
        long oid;
        try (Connection connection = proxy.connect("main", "")) {
            connection.setAutoCommit(false);
            org.postgresql.largeobject.LargeObjectManager objects = connection.unwrap(PGConnection.class)
                    .getLargeObjectAPI();
            oid = objects.createLO();
            try (org.postgresql.largeobject.LargeObject object = objects.open(oid)) {
                object.write(new byte[] {1, 2, 3});
            }
            connection.commit();
            try (org.postgresql.largeobject.LargeObject object = objects.open(oid,
                    org.postgresql.largeobject.LargeObjectManager.READ)) {
                assertThat(object.read(3)).containsExactly(1, 2, 3);
            }
            connection.commit();
        }
        try (Connection connection = proxy.connect("ro", "")) {
            connection.setAutoCommit(false);
            org.postgresql.largeobject.LargeObjectManager objects = connection.unwrap(PGConnection.class)
                    .getLargeObjectAPI();
            assertThatThrownBy(objects::createLO).isInstanceOf(SQLException.class);
            assertThat(proxy.interceptor.completedFor("<function call>").outcome().refused()).isTrue();
            connection.rollback();
            assertThat(selectOne(connection)).isEqualTo(1);
        }
        try (Connection direct = proxy.upstream.appConnection()) {
            direct.createStatement().execute("SELECT lo_unlink(" + oid + ")");
        }
    }

    @Test
    void refusesCopyOnBlockCopyGrant() throws Exception {
        try (Connection connection = proxy.connect("nocopy", "")) {
            StringWriter out = new StringWriter();
            assertThatThrownBy(() -> connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY policy_items TO STDOUT", out)).isInstanceOfSatisfying(SQLException.class,
                            ex -> assertThat(ex.getMessage()).contains("COPY not permitted"));
            assertThat(selectOne(connection)).isEqualTo(1);
        }
    }

    @Test
    void refusesPasswordChangeOnFullGrant() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            assertThatThrownBy(() -> connection.createStatement().execute(
                    "ALTER ROLE app PASSWORD 'changed'")).isInstanceOfSatisfying(SQLException.class,
                            ex -> assertThat(ex.getMessage()).contains("password modification"));
        }
        try (Connection direct = proxy.upstream.appConnection()) {
            assertThat(direct.isValid(2)).isTrue();
        }
    }

    @Test
    void interceptorDenialKeepsSessionUsable() throws Exception {
        proxy.interceptor.onQuery = query -> query.sql().contains("forbidden_marker")
                ? Decision.deny(Decision.LIMIT_EXCEEDED, "query limit exceeded")
                : Decision.proceed();
        try (Connection connection = proxy.connect("main", "")) {
            assertThatThrownBy(() -> connection.createStatement().executeQuery("SELECT 'forbidden_marker'"))
                    .isInstanceOfSatisfying(SQLException.class, ex -> {
                        assertThat(ex.getSQLState()).isEqualTo("54000");
                        assertThat(ex.getMessage()).contains("query limit exceeded");
                    });
            assertThat(selectOne(connection)).isEqualTo(1);
        }
        assertThat(proxy.interceptor.completedFor("forbidden_marker").outcome().refused()).isTrue();
    }

    @Test
    void reportsOneEventPerStatementOfABatch() throws Exception {
        upstream("DROP TABLE IF EXISTS batch_items", "CREATE TABLE batch_items (id int)");
        try (Connection connection = proxy.connect("main", "");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_items VALUES (?)")) {
            for (int i = 0; i < 5; i++) {
                insert.setInt(1, i);
                insert.addBatch();
            }
            assertThat(insert.executeBatch()).hasSize(5);
        }
        var inserts = proxy.interceptor.completed.stream()
                .filter(each -> each.query().sql().startsWith("INSERT INTO batch_items")).toList();
        assertThat(inserts).hasSize(5);
        assertThat(inserts).allSatisfy(each -> assertThat(each.outcome().rowsAffected()).hasValue(1));
        assertThat(inserts.stream().map(each -> each.query().parameters().orElseThrow().values().get(0)))
                .containsExactly("0", "1", "2", "3", "4");
    }
}
