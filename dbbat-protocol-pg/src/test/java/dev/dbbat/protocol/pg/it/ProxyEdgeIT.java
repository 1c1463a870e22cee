package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.protocol.pg.PgProxyConfig;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw-socket edge cases: protocol negotiation, backpressure, idle timeout, grant expiry. */
class ProxyEdgeIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17(), PgProxyConfig.defaults().withVersion("test")
                .withAllowCleartextWithoutTls(true).withIdleTimeout(Duration.ofSeconds(2))
                .withGrantCheckInterval(Duration.ofMillis(200)).withMaxFrameLength(1024 * 1024));
        proxy.authenticator.scram = false;
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

    /** A minimal raw client: startup with cleartext password, then typed messages. */
    private static final class RawClient implements AutoCloseable {
        final Socket socket;
        final DataOutputStream out;
        final DataInputStream in;

        RawClient(int protocol, String database) throws Exception {
            socket = new Socket("127.0.0.1", proxy.address.getPort());
            socket.setSoTimeout(10_000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String each : new String[] {"user", "alice", "database", database, "_pq_.unknown", "1"}) {
                body.writeBytes(each.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            }
            body.write(0);
            out.writeInt(8 + body.size());
            out.writeInt(protocol);
            out.write(body.toByteArray());
            out.flush();
        }

        char next() throws Exception {
            char type = (char) in.readByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            lastBody = body;
            return type;
        }

        byte[] lastBody;

        void password() throws Exception {
            byte[] password = (ProxyHarness.ALICE_PASSWORD + "\0").getBytes(StandardCharsets.UTF_8);
            out.writeByte('p');
            out.writeInt(4 + password.length);
            out.write(password);
            out.flush();
        }

        void query(String sql) throws Exception {
            byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
            out.writeByte('Q');
            out.writeInt(4 + text.length);
            out.write(text);
            out.flush();
        }

        void readUntilReady() throws Exception {
            while (next() != 'Z') {
                // skip
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void negotiatesDownFromProtocol32() throws Exception {
        try (RawClient client = new RawClient(196610, "main")) {
            assertThat(client.next()).isEqualTo('v');
            assertThat(java.nio.ByteBuffer.wrap(client.lastBody).getInt()).isEqualTo(196608);
            assertThat(new String(client.lastBody, StandardCharsets.UTF_8)).contains("_pq_.unknown");
            assertThat(client.next()).isEqualTo('R');
            client.password();
            client.readUntilReady();
            client.query("SELECT 1");
            client.readUntilReady();
        }
    }

    /** Reads messages up to the {@code count}-th ReadyForQuery and returns their types, e.g. {@code TDCZ}. */
    private static String typesUntilReady(RawClient client, int count) throws Exception {
        StringBuilder result = new StringBuilder();
        int ready = 0;
        while (ready < count) {
            char type = client.next();
            result.append(type);
            if (type == 'E') {
                result.append('(').append(new String(client.lastBody, StandardCharsets.UTF_8)
                        .contains("42501") ? "42501" : "other").append(')');
            }
            if (type == 'Z') {
                result.append((char) client.lastBody[0]);
                ready++;
            }
        }
        return result.toString();
    }

    private static byte[] message(char type, Object... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object each : parts) {
            if (each instanceof String text) {
                body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            } else if (each instanceof Short value) {
                body.write(value >> 8);
                body.write(value);
            } else if (each instanceof Integer value) {
                body.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(value).array());
            } else if (each instanceof Character value) {
                body.write(value);
            }
        }
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        result.write(type);
        result.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(body.size() + 4).array());
        result.writeBytes(body.toByteArray());
        return result.toByteArray();
    }

    private static byte[] extendedBatch(String sql) {
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        result.writeBytes(message('P', "", sql, (short) 0));
        result.writeBytes(message('B', "", "", (short) 0, (short) 0, (short) 0));
        result.writeBytes(message('E', "", 0));
        result.writeBytes(message('S'));
        return result.toByteArray();
    }

    private static RawClient loggedIn(String database) throws Exception {
        RawClient client = new RawClient(196608, database);
        client.next();
        client.password();
        client.readUntilReady();
        return client;
    }

    @Test
    void keepsRefusalsInOrderWithPipelinedSimpleQueries() throws Exception {
        try (RawClient client = loggedIn("ro")) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(message('Q', "SELECT pg_sleep(0.3)"));
            pipeline.writeBytes(message('Q', "DELETE FROM pg_class"));
            pipeline.writeBytes(message('Q', "SELECT 2"));
            client.out.write(pipeline.toByteArray());
            client.out.flush();
            assertThat(typesUntilReady(client, 3)).isEqualTo("TDCZIE(42501)ZITDCZI");
        }
    }

    @Test
    void keepsRefusalsInOrderWithPipelinedExtendedBatches() throws Exception {
        try (RawClient client = loggedIn("ro")) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(extendedBatch("SELECT pg_sleep(0.3)"));
            pipeline.writeBytes(extendedBatch("DELETE FROM pg_class"));
            pipeline.writeBytes(extendedBatch("SELECT 2"));
            client.out.write(pipeline.toByteArray());
            client.out.flush();
            assertThat(typesUntilReady(client, 3)).isEqualTo("12DCZIE(42501)ZI12DCZI");
        }
    }

    @Test
    void slowClientDoesNotMakeTheProxyBufferTheResult() throws Exception {
        try (RawClient client = new RawClient(196608, "main")) {
            client.next();
            client.password();
            client.readUntilReady();
            long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            client.query("SELECT g, repeat('z', 1000) FROM generate_series(1, 200000) g"); // ~200 MB of rows
            Thread.sleep(2000); // we do not read: the proxy must stop reading the upstream
            long buffered = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before;
            assertThat(buffered).isLessThan(32L * 1024 * 1024);
            try (Connection check = proxy.upstream.superuserConnection("postgres");
                    ResultSet rows = check.createStatement().executeQuery(
                            "SELECT wait_event FROM pg_stat_activity WHERE query LIKE 'SELECT g, repeat%'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("ClientWrite");
            }
        }
    }

    @Test
    void endsOnlyTheSessionThatSentAnOversizedMessage() throws Exception {
        try (Connection other = proxy.connect("main", ""); Connection doomed = proxy.connect("main", "")) {
            String huge = "SELECT '" + "x".repeat(2 * 1024 * 1024) + "'";
            assertThatThrownBy(() -> doomed.createStatement().execute(huge)).isInstanceOfSatisfying(
                    SQLException.class, ex -> assertThat(ex.getSQLState()).isIn("08P01", "08006"));
            assertThat(doomed.isValid(1)).isFalse();
            try (ResultSet rows = other.createStatement().executeQuery("SELECT 5")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(5);
            }
        }
        ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.stream()
                .anyMatch(each -> each.kind() == CloseReason.Kind.PROTOCOL_ERROR));
    }

    @Test
    void refusesStartupWithoutUserOrDatabase() throws Exception {
        for (String[] parameters : new String[][] {{"database", "main"}, {"user", "alice"}}) {
            try (Socket socket = new Socket("127.0.0.1", proxy.address.getPort())) {
                socket.setSoTimeout(5000);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (String each : parameters) {
                    body.writeBytes(each.getBytes(StandardCharsets.UTF_8));
                    body.write(0);
                }
                body.write(0);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(8 + body.size());
                out.writeInt(196608);
                out.write(body.toByteArray());
                out.flush();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                assertThat((char) in.readByte()).isEqualTo('E');
                byte[] error = new byte[in.readInt() - 4];
                in.readFully(error);
                assertThat(new String(error, StandardCharsets.UTF_8)).contains("FATAL")
                        .containsAnyOf("no PostgreSQL user name", "no database name");
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void countsWireBytesAndStatements() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            for (int i = 0; i < 3; i++) {
                connection.createStatement().executeQuery("SELECT " + i).close();
            }
            var stats = proxy.interceptor.connects.get(0).stats();
            assertThat(stats.queries()).isGreaterThanOrEqualTo(3);
            assertThat(stats.bytesFromClient()).isPositive();
            assertThat(stats.bytesToClient()).isPositive();
        }
    }

    @Test
    void endsSessionsWhenTheServerCloses() throws Exception {
        try (ProxyHarness other = new ProxyHarness(proxy.upstream)) {
            Connection connection = other.connect("main", "");
            other.server.close();
            assertThatThrownBy(() -> connection.createStatement().execute("SELECT 1")).isInstanceOf(
                    SQLException.class);
            ProxyBasicsIT.waitFor(() -> other.interceptor.closes.stream()
                    .anyMatch(each -> each.detail().equals("proxy shutting down")));
            connection.close();
        }
    }

    @Test
    void closesIdleSessions() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.stream()
                    .anyMatch(each -> each.kind() == CloseReason.Kind.IDLE_TIMEOUT));
            assertThat(connection.isValid(1)).isFalse();
        }
    }

    @Test
    void keepsSessionsWhoseTrafficIsSpacedBelowTheIdleTimeout() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            long end = System.nanoTime() + Duration.ofMillis(5_000).toNanos();
            while (System.nanoTime() < end) {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT 1")) {
                    assertThat(rows.next()).isTrue();
                }
                Thread.sleep(700); // 2.5 idle timeouts in all, never one without traffic
            }
            assertThat(connection.isValid(1)).isTrue();
            assertThat(proxy.interceptor.closes).noneMatch(each -> each.kind() == CloseReason.Kind.IDLE_TIMEOUT);
        }
    }

    @Test
    void aStatementRunningLongerThanTheIdleTimeoutIsNotIdle() throws Exception {
        try (Connection connection = proxy.connect("main", "")) {
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT 7 FROM pg_sleep(3.5)")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(7);
            }
            assertThat(proxy.interceptor.closes).noneMatch(each -> each.kind() == CloseReason.Kind.IDLE_TIMEOUT);
            // once the statement is done the session is idle again, and is closed
            ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.stream()
                    .anyMatch(each -> each.kind() == CloseReason.Kind.IDLE_TIMEOUT));
            assertThat(connection.isValid(1)).isFalse();
        }
    }

    @Test
    void endsSessionsWhenTheGrantExpires() throws Exception {
        proxy.resolver.grant(ProxyHarness.ALICE, "noddl", Instant.now().plusMillis(1500));
        try (Connection connection = proxy.connect("noddl", "")) {
            assertThat(connection.isValid(1)).isTrue();
            ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.stream()
                    .anyMatch(each -> each.detail().equals("grant expired")));
            try {
                connection.createStatement().execute("SELECT 1");
                throw new AssertionError("the session should be closed");
            } catch (SQLException expected) {
                // closed
            }
        }
    }
}
