package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.protocol.pg.PgProxyConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

class ProxySessionIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17(), PgProxyConfig.defaults().withVersion("test")
                .withCapture(true, 50, 1_000_000));
        try (Connection connection = proxy.upstream.appConnection(); Statement statement =
                connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS copy_items");
            statement.execute("CREATE TABLE copy_items (id int, name text)");
            statement.execute("DROP TABLE IF EXISTS copy_probe");
            statement.execute("CREATE TABLE copy_probe (id int, name text)");
        }
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

    @Test
    void cancelsAStatementWithPgjdbc() throws Exception {
        try (Connection connection = proxy.connect("main", ""); Statement statement = connection.createStatement()) {
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(500);
                    statement.cancel();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            long started = System.nanoTime();
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(30)")).isInstanceOfSatisfying(
                    SQLException.class, ex -> assertThat(ex.getSQLState()).isEqualTo("57014"));
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(10));
            cancel.get(5, TimeUnit.SECONDS);
            assertThat(connection.isValid(2)).isTrue();
        }
    }

    @Test
    void copiesInAndOutWithCopyManager() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder data = new StringBuilder();
            for (int i = 1; i <= 1000; i++) {
                data.append(i).append('\t').append("name ").append(i).append('\n');
            }
            assertThat(copy.copyIn("COPY copy_items (id, name) FROM STDIN", new StringReader(data.toString())))
                    .isEqualTo(1000);
            StringWriter out = new StringWriter();
            assertThat(copy.copyOut("COPY copy_items (id, name) TO STDOUT WITH (FORMAT csv)", out)).isEqualTo(1000);
            assertThat(out.toString()).startsWith("1,name 1\n");
        }
        var copyIn = proxy.interceptor.completedFor("FROM STDIN");
        assertThat(copyIn.outcome().copy()).contains(new CopyInfo("in", "text"));
        assertThat(copyIn.outcome().rowsAffected()).hasValue(1000);
        var copyOut = proxy.interceptor.completedFor("TO STDOUT");
        assertThat(copyOut.outcome().copy()).contains(new CopyInfo("out", "csv"));
        assertThat(copyOut.outcome().rowsCaptured()).isEqualTo(50);
        assertThat(copyOut.outcome().resultsTruncated()).isTrue();
        var firstRow = proxy.interceptor.rows.stream().filter(each -> each.query().sql().contains("TO STDOUT"))
                .findFirst().orElseThrow().row();
        assertThat(firstRow.columnNames()).containsExactly("id", "name");
        assertThat(firstRow.values()).containsExactly("1", "name 1");
    }

    @Test
    void answersRefusalsRightAfterACopy() throws Exception {
        try (Connection connection = proxy.connect("noddl", "preferQueryMode=simple")) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            assertThat(copy.copyIn("COPY copy_probe FROM STDIN", new StringReader("5\tfive\n"))).isEqualTo(1);
            CompletableFuture<Void> refused = CompletableFuture.runAsync(() -> assertThatThrownBy(
                    () -> connection.createStatement().execute("CREATE TABLE never_created (id int)"))
                    .isInstanceOf(SQLException.class));
            refused.get(5, TimeUnit.SECONDS);
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT 8")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(8);
            }
        }
    }

    @Test
    void keepsTheFirstRowsAndFlagsTruncation() throws Exception {
        try (Connection connection = proxy.connect("main", "");
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT g FROM generate_series(1, 500) g")) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            assertThat(count).isEqualTo(500);
        }
        var outcome = proxy.interceptor.completedFor("generate_series").outcome();
        assertThat(outcome.rowsAffected()).hasValue(500);
        assertThat(outcome.rowsCaptured()).isEqualTo(50);
        assertThat(outcome.resultsTruncated()).isTrue();
        assertThat(proxy.interceptor.rows.stream().filter(each -> each.query().sql().contains("generate_series"))
                .map(each -> each.row().values().get(0)).limit(3)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void reportsRowLimitedExecutesWithPortalSuspended() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT g FROM generate_series(1, 25) g")) {
                statement.setFetchSize(10);
                try (ResultSet rows = statement.executeQuery()) {
                    int count = 0;
                    while (rows.next()) {
                        count++;
                    }
                    assertThat(count).isEqualTo(25);
                }
            }
            connection.commit();
        }
        var executes = proxy.interceptor.completed.stream()
                .filter(each -> each.query().sql().contains("generate_series(1, 25)")).toList();
        assertThat(executes).hasSize(3);
    }

    @Test
    void cutsAResultWhenTheByteQuotaIsExhausted() throws Exception {
        AtomicLong seen = new AtomicLong();
        proxy.interceptor.onBytes = (session, bytes) -> seen.addAndGet(bytes) > 200_000
                ? Decision.deny(Decision.LIMIT_EXCEEDED, "data transfer limit exceeded")
                : Decision.proceed();
        try (Connection connection = proxy.connect("main", "")) {
            assertThatThrownBy(() -> {
                try (ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT g, repeat('x', 100) FROM generate_series(1, 1000000) g")) {
                    while (rows.next()) {
                        // drain
                    }
                }
            }).isInstanceOfSatisfying(SQLException.class, ex -> {
                assertThat(ex.getSQLState()).isEqualTo("54000");
                assertThat(ex.getMessage()).contains("data transfer limit exceeded");
            });
            proxy.interceptor.onBytes = (session, bytes) -> Decision.proceed();
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT 7")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(7);
            }
        }
        assertThat(proxy.interceptor.completedFor("generate_series(1, 1000000)").outcome().sqlState())
                .hasValue("54000");
    }

    @Test
    void terminatesASessionFromAnotherThread() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            ProxyBasicsIT.waitFor(() -> proxy.interceptor.connects.size() == 1);
            proxy.interceptor.connects.get(0).handle().terminate("your access grant was revoked");
            ProxyBasicsIT.waitFor(() -> !proxy.interceptor.connects.get(0).handle().isOpen());
            assertThatThrownBy(() -> connection.createStatement().execute("SELECT 1"))
                    .isInstanceOf(SQLException.class);
        }
        ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.stream()
                .anyMatch(each -> each.kind() == CloseReason.Kind.TERMINATED));
    }

    @Test
    void survivesAClientVanishingMidResult() throws Exception {
        try (Connection other = proxy.connect("main", "")) {
            Connection doomed = proxy.connect("main", "");
            Statement statement = doomed.createStatement();
            statement.setFetchSize(0);
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT g, repeat('y', 200) FROM generate_series(1, 2000000) g")) {
                    rows.next();
                } catch (SQLException expected) {
                    // the connection is aborted below
                }
            });
            Thread.sleep(300);
            doomed.abort(Runnable::run);
            running.handle((value, ex) -> null).get(20, TimeUnit.SECONDS);
            try (ResultSet rows = other.createStatement().executeQuery("SELECT 3")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(3);
            }
        }
        ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.size() >= 2);
    }

    @Test
    void answersAnOversizedFrameWithProtocolViolation() throws Exception {
        try (Connection connection = proxy.connect("main", ""); Socket socket = new Socket("127.0.0.1",
                proxy.address.getPort())) {
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(20_000); // startup packet longer than the 10 KB bound
            out.writeInt(196608);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat((char) in.readByte()).isEqualTo('E');
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).contains("08P01");
            assertThat(in.read()).isEqualTo(-1);
            assertThat(connection.isValid(2)).isTrue();
        }
    }

    @Test
    void answersSslAndGssEncryptionRequests() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.address.getPort())) {
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.writeInt(8);
            out.writeInt(80877104); // GSSENCRequest
            out.flush();
            assertThat((char) in.readByte()).isEqualTo('N');
            out.writeInt(8);
            out.writeInt(80877103); // SSLRequest, no TLS configured here
            out.flush();
            assertThat((char) in.readByte()).isEqualTo('N');
        }
    }
}
