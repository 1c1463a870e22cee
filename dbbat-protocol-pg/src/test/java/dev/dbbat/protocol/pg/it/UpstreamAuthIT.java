package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.Control;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Upstream logins other than plain SCRAM: MD5, cleartext, TLS per sslmode; and the read-only session guard. */
class UpstreamAuthIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17());
        int port = proxy.upstream.port();
        proxy.resolver.target("md5", "127.0.0.1", port, Upstream.DATABASE, "md5user", "md5-pw")
                .target("plain", "127.0.0.1", port, Upstream.DATABASE, "pwuser", "plain-pw")
                .target("tls", "127.0.0.1", port, Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD, "require")
                .target("prefer", "127.0.0.1", port, Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD, "prefer")
                .target("verified", "127.0.0.1", port, Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD,
                        "verify-full")
                .grant(ProxyHarness.ALICE, "md5").grant(ProxyHarness.ALICE, "plain")
                .grant(ProxyHarness.ALICE, "tls").grant(ProxyHarness.ALICE, "prefer")
                .grant(ProxyHarness.ALICE, "verified");
        try (Connection connection = proxy.upstream.superuserConnection(Upstream.DATABASE);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE FUNCTION dbbat_escape() RETURNS text LANGUAGE plpgsql AS "
                    + "$$ BEGIN PERFORM set_config('default_transaction_read_only', 'off', false); "
                    + "RETURN 'escaped'; END $$");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    private static String scalar(String database, String sql) throws SQLException {
        try (Connection connection = proxy.connect(database, "");
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void logsInUpstreamWithMd5() throws Exception {
        assertThat(scalar("md5", "SELECT current_user")).isEqualTo("md5user");
    }

    @Test
    void logsInUpstreamWithCleartextPassword() throws Exception {
        assertThat(scalar("plain", "SELECT current_user")).isEqualTo("pwuser");
    }

    @Test
    void usesTlsUpstreamWithSslmodeRequireAndPrefer() throws Exception {
        String sql = "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
        assertThat(scalar("tls", sql)).isEqualTo("true");
        assertThat(scalar("prefer", sql)).isEqualTo("true");
        assertThat(scalar("main", sql)).isEqualTo("false");
    }

    @Test
    void refusesAnUnverifiableUpstreamCertificateWithVerifyFull() {
        assertThatThrownBy(() -> proxy.connect("verified", "").close()).isInstanceOfSatisfying(SQLException.class,
                ex -> assertThat(ex.getSQLState()).isEqualTo("08006"));
    }

    @Test
    void endsAReadOnlySessionWhoseUpstreamLeftReadOnlyMode() throws Exception {
        proxy.resolver.grant(ProxyHarness.ALICE, "ro", Control.READ_ONLY);
        try (Connection connection = proxy.connect("ro", "")) {
            assertThatThrownBy(() -> {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT dbbat_escape()")) {
                    rows.next();
                }
                connection.createStatement().execute("SELECT 1");
            }).isInstanceOf(SQLException.class);
            assertThat(connection.isValid(1)).isFalse();
        }
        ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.stream()
                .anyMatch(each -> each.kind() == CloseReason.Kind.TERMINATED
                        && each.detail().contains("read-only")));
    }
}
