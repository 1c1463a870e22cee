package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.spi.Decision;
import dev.dbbat.protocol.pg.PgProxyConfig;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Results through a proxy without result capture, where DataRow and CopyData messages are forwarded a read buffer at
 * a time: rows arrive intact and in order, each statement's byte count is exact, errors and quota cuts in the middle
 * of a result, and a client that stops reading.
 */
class ForwardingIT {
    private static ProxyHarness proxy;
    /** With result capture of the first 100 rows of each statement: later rows are forwarded in runs too. */
    private static ProxyHarness capturing;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17(), PgProxyConfig.defaults().withVersion("test")
                .withAllowCleartextWithoutTls(true).withCapture(false, 0, 0));
        proxy.authenticator.scram = false;
        capturing = new ProxyHarness(Upstream.pg17(), PgProxyConfig.defaults().withVersion("test")
                .withCapture(true, 100, 10_000_000));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        capturing.close();
        proxy.interceptor.assertEachSessionClosedOnce();
        capturing.interceptor.assertEachSessionClosedOnce();
    }

    @BeforeEach
    void reset() {
        proxy.interceptor.reset();
        capturing.interceptor.reset();
    }

    /** Bytes of a text DataRow on the wire. */
    private static long dataRowBytes(String... values) {
        long size = 1 + 4 + 2;
        for (String each : values) {
            size += 4 + each.getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    private static String value(int g) {
        return String.valueOf((char) ('A' + g % 26)).repeat(900 + g % 211);
    }

    @Test
    void streamsALargeResultIntactWithACursor() throws Exception {
        int rows = 60_000; // ~60 MB
        long expectedBytes = 0;
        try (Connection connection = proxy.connect("main", "")) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                try (ResultSet result = statement.executeQuery("SELECT g::text, repeat(chr(65 + g % 26), 900 + g % 211)"
                        + " FROM generate_series(1, " + rows + ") g")) {
                    int g = 0;
                    while (result.next()) {
                        g++;
                        assertThat(result.getString(1)).isEqualTo(String.valueOf(g));
                        assertThat(result.getString(2)).isEqualTo(value(g));
                        expectedBytes += dataRowBytes(String.valueOf(g), value(g));
                    }
                    assertThat(g).isEqualTo(rows);
                }
            }
            connection.commit();
        }
        var executions = proxy.interceptor.completed.stream()
                .filter(each -> each.query().sql().contains("generate_series(1, " + rows + ")")).toList();
        assertThat(executions).hasSize(rows / 1000 + 1); // one Execute per fetch, the last one finds no more rows
        assertThat(executions).allSatisfy(each -> assertThat(each.outcome().error()).isEmpty());
        assertThat(executions.stream().mapToLong(each -> each.outcome().bytes()).sum()).isEqualTo(expectedBytes);
    }

    @Test
    void capturesTheFirstRowsOfEachStatementAndForwardsEveryRow() throws Exception {
        int rows = 20_000;
        long[] expectedBytes = new long[rows / 1000 + 2];
        try (Connection connection = capturing.connect("main", "")) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000); // one Execute per 1000 rows, each a statement with its own capture
                try (ResultSet result = statement.executeQuery("SELECT g::text, repeat(chr(65 + g % 26), 900 + g % 211)"
                        + " FROM generate_series(1, " + rows + ") g")) {
                    int g = 0;
                    while (result.next()) {
                        g++;
                        assertThat(result.getString(1)).isEqualTo(String.valueOf(g));
                        assertThat(result.getString(2)).isEqualTo(value(g));
                        expectedBytes[(g - 1) / 1000] += dataRowBytes(String.valueOf(g), value(g));
                    }
                    assertThat(g).isEqualTo(rows);
                }
            }
            connection.commit();
            // a simple query after the cursor: captured from its first row again
            try (ResultSet result = connection.createStatement().executeQuery(
                    "SELECT g::text FROM generate_series(1, 5000) g")) {
                int g = 0;
                while (result.next()) {
                    assertThat(result.getString(1)).isEqualTo(String.valueOf(++g));
                }
                assertThat(g).isEqualTo(5000);
            }
        }
        var executions = capturing.interceptor.completed.stream()
                .filter(each -> each.query().sql().contains("generate_series(1, " + rows + ")")).toList();
        assertThat(executions).hasSize(rows / 1000 + 1);
        for (int i = 0; i < executions.size(); i++) {
            var outcome = executions.get(i).outcome();
            assertThat(outcome.bytes()).isEqualTo(expectedBytes[i]);
            assertThat(outcome.rowsCaptured()).isEqualTo(i < rows / 1000 ? 100 : 0);
            assertThat(outcome.resultsTruncated()).isEqualTo(i < rows / 1000);
        }
        var captured = capturing.interceptor.rows.stream()
                .filter(each -> each.query().sql().contains("generate_series(1, " + rows + ")")).toList();
        assertThat(captured).hasSize(rows / 1000 * 100);
        for (int i = 0; i < captured.size(); i++) {
            int g = i / 100 * 1000 + i % 100 + 1; // rows 1..100 of each Execute
            assertThat(captured.get(i).row().values()).containsExactly(String.valueOf(g), value(g));
        }
        var simple = capturing.interceptor.completedFor("generate_series(1, 5000)").outcome();
        assertThat(simple.rowsCaptured()).isEqualTo(100);
        assertThat(simple.resultsTruncated()).isTrue();
        assertThat(simple.bytes()).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 5000)
                .mapToLong(g -> dataRowBytes(String.valueOf(g))).sum());
    }

    @Test
    void copiesOutIntact() throws Exception {
        int rows = 20_000;
        StringBuilder expected = new StringBuilder();
        long expectedBytes = 0;
        for (int g = 1; g <= rows; g++) {
            String line = g + "\t" + value(g) + "\n";
            expected.append(line);
            expectedBytes += 1 + 4 + line.length();
        }
        StringWriter out = new StringWriter();
        try (Connection connection = proxy.connect("main", "")) {
            long copied = connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT g, repeat(chr(65 + "
                    + "g % 26), 900 + g % 211) FROM generate_series(1, " + rows + ") g) TO STDOUT", out);
            assertThat(copied).isEqualTo(rows);
        }
        assertThat(out.toString()).isEqualTo(expected.toString());
        var outcome = proxy.interceptor.completedFor("TO STDOUT").outcome();
        assertThat(outcome.bytes()).isEqualTo(expectedBytes);
        assertThat(outcome.rowsAffected()).hasValue(rows);
    }

    @Test
    void reportsAnErrorInTheMiddleOfTheRowsAndStaysUsable() throws Exception {
        try (Connection connection = proxy.connect("main", ""); Statement statement = connection.createStatement()) {
            AtomicLong seen = new AtomicLong();
            assertThatThrownBy(() -> {
                try (ResultSet result = statement.executeQuery(
                        "SELECT g, repeat('e', 1000), 1 / (30000 - g) FROM generate_series(1, 50000) g")) {
                    while (result.next()) {
                        assertThat(result.getInt(1)).isEqualTo(seen.incrementAndGet());
                    }
                }
            }).isInstanceOfSatisfying(SQLException.class, ex -> assertThat(ex.getSQLState()).isEqualTo("22012"));
            try (ResultSet result = statement.executeQuery("SELECT 42")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(42);
            }
        }
        var outcome = proxy.interceptor.completedFor("1 / (30000 - g)").outcome();
        assertThat(outcome.sqlState()).hasValue("22012");
        assertThat(outcome.bytes()).isGreaterThan(1000L * 1000); // rows were forwarded before the error
    }

    @Test
    void cutsAResultInTheMiddleWhenTheByteQuotaIsExhausted() throws Exception {
        AtomicLong seen = new AtomicLong();
        proxy.interceptor.onBytes = (session, bytes) -> seen.addAndGet(bytes) > 2_000_000
                ? Decision.deny(Decision.LIMIT_EXCEEDED, "data transfer limit exceeded")
                : Decision.proceed();
        try (Connection connection = proxy.connect("main", "")) {
            AtomicLong rows = new AtomicLong();
            assertThatThrownBy(() -> {
                try (ResultSet result = connection.createStatement().executeQuery(
                        "SELECT g, repeat('x', 1000) FROM generate_series(1, 1000000) g")) {
                    while (result.next()) {
                        assertThat(result.getInt(1)).isEqualTo(rows.incrementAndGet());
                    }
                }
            }).isInstanceOfSatisfying(SQLException.class, ex -> {
                assertThat(ex.getSQLState()).isEqualTo("54000");
                assertThat(ex.getMessage()).contains("data transfer limit exceeded");
            });
            proxy.interceptor.onBytes = (session, bytes) -> Decision.proceed();
            try (ResultSet result = connection.createStatement().executeQuery("SELECT 7")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(7);
            }
        }
        var outcome = proxy.interceptor.completedFor("generate_series(1, 1000000)").outcome();
        assertThat(outcome.sqlState()).hasValue("54000");
        assertThat(outcome.bytes()).isLessThan(1_000_000L * 1000);
    }

    @Test
    void aClientThatStopsReadingStopsTheUpstreamAndThenGetsEveryRow() throws Exception {
        int rows = 200_000; // ~200 MB
        try (Socket socket = new Socket("127.0.0.1", proxy.address.getPort())) {
            socket.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 65536));
            startup(out);
            expect(in, 'R'); // cleartext password request
            message(out, 'p', ProxyHarness.ALICE_PASSWORD);
            readUntilReady(in);
            long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            message(out, 'Q', "SELECT g, repeat('z', 1000) FROM generate_series(1, " + rows + ") g");
            Thread.sleep(2000); // not reading: the proxy must stop reading the upstream
            long buffered = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before;
            assertThat(buffered).isLessThan(16L * 1024 * 1024);
            try (Connection check = proxy.upstream.superuserConnection("postgres");
                    ResultSet activity = check.createStatement().executeQuery(
                            "SELECT wait_event FROM pg_stat_activity WHERE query LIKE 'SELECT g, repeat(''z''%'")) {
                assertThat(activity.next()).isTrue();
                assertThat(activity.getString(1)).isEqualTo("ClientWrite");
            }
            // now read everything: each message whole, every row in order
            assertThat(next(in)).isEqualTo('T');
            for (int g = 1; g <= rows; g++) {
                assertThat(next(in)).isEqualTo('D');
                assertThat(new String(lastBody, 2 + 4, String.valueOf(g).length(), StandardCharsets.US_ASCII))
                        .isEqualTo(String.valueOf(g));
                assertThat(lastBody.length).isEqualTo(2 + 4 + String.valueOf(g).length() + 4 + 1000);
            }
            assertThat(next(in)).isEqualTo('C');
            assertThat(next(in)).isEqualTo('Z');
        }
        assertThat(proxy.interceptor.completedFor("repeat('z', 1000)").outcome().bytes())
                .isEqualTo(rowsBytes(rows));
    }

    private static long rowsBytes(int rows) {
        long total = 0;
        for (int g = 1; g <= rows; g++) {
            total += dataRowBytes(String.valueOf(g), "z".repeat(1000));
        }
        return total;
    }

    private static byte[] lastBody;

    private static char next(DataInputStream in) throws Exception {
        char type = (char) in.readByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        lastBody = body;
        return type;
    }

    private static void expect(DataInputStream in, char type) throws Exception {
        assertThat(next(in)).isEqualTo(type);
    }

    private static void readUntilReady(DataInputStream in) throws Exception {
        while (next(in) != 'Z') {
            // skip
        }
    }

    private static void startup(DataOutputStream out) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String each : new String[] {"user", ProxyHarness.ALICE, "database", "main"}) {
            body.writeBytes(each.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        out.writeInt(8 + body.size());
        out.writeInt(196608);
        out.write(body.toByteArray());
        out.flush();
    }

    private static void message(DataOutputStream out, char type, String text) throws Exception {
        byte[] bytes = (text + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeByte(type);
        out.writeInt(4 + bytes.length);
        out.write(bytes);
        out.flush();
    }
}
