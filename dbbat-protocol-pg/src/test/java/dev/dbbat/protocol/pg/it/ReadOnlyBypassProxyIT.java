package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dbbat.core.event.Control;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.PgProxyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement of the read-only corpus that must be refused ({@code sql/readonly-corpus.txt}, all lines but
 * ALLOW) goes through the real proxy under a read_only grant: with pgjdbc in the simple and in the extended
 * protocol, and as a raw simple Query carrying the exact bytes (what psql sends; the only way to deliver the
 * UNPARSABLE cases, which pgjdbc refuses to send). Each case asserts the proxy's refusal (SQLSTATE 42501) AND that
 * nothing changed upstream: tables, rows, sequences, advisory locks, large objects, roles, functions and settings
 * are fingerprinted before and after, while the client session is still open; then the session must still work.
 */
class ReadOnlyBypassProxyIT {
    private static final String DATABASE = "bypassdb";
    private static final String FINGERPRINT = """
            SELECT concat_ws(' | ',
              (SELECT string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text, ',' ORDER BY 1)
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'),
              (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM t x),
              (SELECT md5(coalesce(string_agg(u::text, ',' ORDER BY u::text), '')) FROM updates u),
              (SELECT last_value || ':' || is_called FROM s),
              (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'),
              (SELECT count(*) FROM pg_largeobject_metadata),
              (SELECT string_agg(rolname || ':' || coalesce(rolpassword, '') || ':' || rolsuper, ','
                                 ORDER BY rolname) FROM pg_authid),
              (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc
                WHERE pronamespace = 'public'::regnamespace),
              (SELECT count(*) FROM pg_db_role_setting),
              (SELECT count(*) FROM pg_prepared_xacts),
              (SELECT string_agg(coalesce(setting, ''), ',' ORDER BY name) FROM pg_settings
                WHERE name IN ('default_transaction_read_only', 'client_encoding')))
            """;

    /** Statements pgjdbc's own parser rejects before sending ("Unterminated dollar quote"). */
    private static final java.util.Set<String> PGJDBC_CANNOT_SEND = java.util.Set.of("SELECT a$$ DELETE FROM t $$");

    private static Upstream upstream;
    private static PgProxyServer proxy;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        upstream = Upstream.pg17();
        upstream.superuser("DROP DATABASE IF EXISTS " + DATABASE, "CREATE DATABASE " + DATABASE + " OWNER "
                + Upstream.USER);
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + upstream.port()
                        + "/" + DATABASE, Upstream.USER, Upstream.PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(resource("/sql/readonly-fixture.sql"));
            statement.execute("CREATE PROCEDURE p() LANGUAGE sql AS $$ DELETE FROM t $$");
            // so that the harmless first statement of "SELECT \"a\"\"b\" FROM t; DELETE FROM t" succeeds
            // and the refusal of the second is what the client sees
            statement.execute("ALTER TABLE t ADD COLUMN \"a\"\"b\" int");
        }
        FakeAuthenticator authenticator = new FakeAuthenticator().user("alice", "alice-pw");
        authenticator.scram = false; // the raw client below speaks cleartext; loopback only

        FakeResolver resolver = new FakeResolver()
                .target("ro", "127.0.0.1", upstream.port(), DATABASE, Upstream.USER, Upstream.PASSWORD)
                .grant("alice", "ro", Control.READ_ONLY);
        proxy = PgProxyServer.builder()
                .config(PgProxyConfig.defaults().withAllowCleartextWithoutTls(true))
                .authenticator(authenticator)
                .resolver(resolver)
                .interceptor(new RecordingInterceptor())
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .build();
        address = proxy.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    static Stream<Arguments> refusedStatements() throws IOException {
        List<Arguments> result = new ArrayList<>();
        for (String line : resource("/sql/readonly-corpus.txt").split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("ALLOW|")) {
                continue;
            }
            int bar = line.indexOf('|');
            String sql = line.substring(bar + 1).replace("{NL}", "\n").replace("{TAB}", "\t");
            String category = line.substring(0, bar);
            for (String mode : List.of("simple", "extended", "raw")) {
                if (!mode.equals("raw") && (category.equals("UNPARSABLE") || PGJDBC_CANNOT_SEND.contains(sql))) {
                    continue; // pgjdbc refuses to send these itself; the raw client delivers them
                }
                result.add(Arguments.of(mode, category, sql));
            }
        }
        return result.stream();
    }

    @ParameterizedTest(name = "[{0}] {1}: {2}")
    @MethodSource("refusedStatements")
    void refusesAndLeavesTheUpstreamUnchanged(String mode, String category, String sql) throws Exception {
        String before = fingerprint();
        if (mode.equals("raw")) {
            try (RawSession session = new RawSession()) {
                assertThat(session.query(sql)).as("SQLSTATE of the first error for %s", sql).isEqualTo("42501");
                assertThat(fingerprint()).as("upstream after %s", sql).isEqualTo(before);
                assertThat(session.query("SELECT count(*) FROM t")).as("the session stays usable").isEmpty();
            }
            return;
        }
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "alice-pw");
        properties.setProperty("preferQueryMode", mode);
        String url = "jdbc:postgresql://127.0.0.1:" + address.getPort() + "/ro?sslmode=disable";
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                fail("the proxy let through a " + category + " statement: " + sql);
            } catch (SQLException ex) {
                assertThat(ex.getSQLState())
                        .as("refused by the proxy, not failed upstream: %s", ex.getMessage())
                        .isEqualTo("42501");
            }
            assertThat(fingerprint()).as("upstream after %s", sql).isEqualTo(before);
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
                rows.next();
                assertThat(rows.getLong(1)).as("the session stays usable").isEqualTo(2);
            }
        }
    }

    /** A raw protocol client: cleartext login, then simple Query messages with the exact SQL bytes. */
    private static final class RawSession implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.DataOutputStream out;
        private final java.io.DataInputStream in;

        RawSession() throws IOException {
            socket = new java.net.Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(10_000);
            out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
            in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            byte[] parameters = "user\0alice\0database\0ro\0\0".getBytes(StandardCharsets.UTF_8);
            out.writeInt(8 + parameters.length);
            out.writeInt(196608); // protocol 3.0
            out.write(parameters);
            out.flush();
            assertThat(readMessage().type).as("authentication request").isEqualTo('R');
            send('p', "alice-pw");
            assertThat(untilReady()).as("login errors").isEmpty();
        }

        /** Sends one simple Query; returns the SQLSTATE of the first ErrorResponse, or "" when none. */
        String query(String sql) throws IOException {
            send('Q', sql);
            return untilReady();
        }

        private void send(char type, String text) throws IOException {
            byte[] body = (text + "\0").getBytes(StandardCharsets.UTF_8);
            out.writeByte(type);
            out.writeInt(4 + body.length);
            out.write(body);
            out.flush();
        }

        private String untilReady() throws IOException {
            String firstError = "";
            for (Message message = readMessage(); message.type != 'Z'; message = readMessage()) {
                if (message.type == 'E' && firstError.isEmpty()) {
                    firstError = message.field('C');
                }
            }
            return firstError;
        }

        private record Message(char type, byte[] body) {
            /** A field of an ErrorResponse: type byte, then a NUL-terminated string. */
            String field(char code) {
                int i = 0;
                while (i < body.length && body[i] != 0) {
                    int end = i + 1;
                    while (body[end] != 0) {
                        end++;
                    }
                    if (body[i] == code) {
                        return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                    }
                    i = end + 1;
                }
                return "";
            }
        }

        private Message readMessage() throws IOException {
            char type = (char) in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            return new Message(type, body);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String fingerprint() throws SQLException {
        try (Connection connection = upstream.superuserConnection(DATABASE);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(FINGERPRINT)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String resource(String name) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                ReadOnlyBypassProxyIT.class.getResourceAsStream(name), StandardCharsets.UTF_8))) {
            StringBuilder result = new StringBuilder();
            reader.lines().forEach(line -> result.append(line).append('\n'));
            return result.toString();
        }
    }
}
