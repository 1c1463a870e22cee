package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.event.Identity;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.protocol.pg.PgProxyConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

class ProxyLoginIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17(), PgProxyConfig.defaults().withVersion("test")
                .withClientTls(selfSigned(), false));
    }

    static SslContext selfSigned() throws Exception {
        try (InputStream cert = ProxyLoginIT.class.getResourceAsStream("/tls/proxy-cert.pem");
                InputStream key = ProxyLoginIT.class.getResourceAsStream("/tls/proxy-key.pem")) {
            return SslContextBuilder.forServer(cert, key).build();
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
        proxy.authenticator.scram = true;
    }

    private static String serverMessage(SQLException ex) {
        return ((PSQLException) ex).getServerErrorMessage().getMessage();
    }

    @Test
    void givesTheSameErrorForEveryLoginFailure() {
        List<SQLException> failures = new ArrayList<>();
        for (String[] each : new String[][] {
            {"main", "alice", "wrong"}, {"main", "nobody", "whatever"}, {"nosuchdb", "alice", "alice-pw"},
            {"main", "bob", "bob-pw"}}) {
            try (Connection ignored = proxy.connect(each[0], each[1], each[2], "")) {
                throw new AssertionError("login should fail: " + String.join(",", each));
            } catch (SQLException ex) {
                failures.add(ex);
            }
        }
        assertThat(failures).allSatisfy(ex -> assertThat(ex.getSQLState()).isEqualTo("28000"));
        assertThat(serverMessage(failures.get(0))).isEqualTo("password authentication failed for user \"alice\"");
        assertThat(serverMessage(failures.get(1))).isEqualTo("password authentication failed for user \"nobody\"");
        assertThat(serverMessage(failures.get(2))).isEqualTo(serverMessage(failures.get(0)));
        assertThat(serverMessage(failures.get(3))).isEqualTo("password authentication failed for user \"bob\"");
        // only a client that proved who it is learns why (DETAIL); the others get no detail
        assertThat(((PSQLException) failures.get(3)).getServerErrorMessage().getDetail()).isEqualTo("no active grant");
        assertThat(((PSQLException) failures.get(2)).getServerErrorMessage().getDetail())
                .isEqualTo("unknown database");
        assertThat(((PSQLException) failures.get(0)).getServerErrorMessage().getDetail()).isNull();
        assertThat(((PSQLException) failures.get(1)).getServerErrorMessage().getDetail()).isNull();
        assertThat(proxy.interceptor.connects).isEmpty();
    }

    @Test
    void acceptsAnApiKeyAsPasswordWithScram() throws Exception {
        try (Connection connection = proxy.connect("main", ProxyHarness.ALICE, ProxyHarness.ALICE_KEY, "")) {
            assertThat(connection.isValid(2)).isTrue();
        }
        assertThat(proxy.interceptor.connects.get(0).identity().method()).isEqualTo(Identity.AuthMethod.API_KEY);
    }

    @Test
    void acceptsCleartextPasswordOverTls() throws Exception {
        proxy.authenticator.scram = false;
        try (Connection connection = DriverManagerHelper.connect(proxy.url("main", "").replace(
                "sslmode=disable", "sslmode=require"), ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD);
                ResultSet rows = connection.createStatement().executeQuery("SELECT 42")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void acceptsAnApiKeyAsCleartextPasswordOverTls() throws Exception {
        proxy.authenticator.scram = false;
        try (Connection connection = DriverManagerHelper.connect(proxy.url("main", "").replace(
                "sslmode=disable", "sslmode=require"), ProxyHarness.ALICE, ProxyHarness.ALICE_KEY)) {
            assertThat(connection.isValid(2)).isTrue();
        }
        assertThat(proxy.interceptor.connects.get(0).identity().method()).isEqualTo(Identity.AuthMethod.API_KEY);
    }

    @Test
    void refusesCleartextPasswordWithoutTls() {
        proxy.authenticator.scram = false;
        assertThatThrownBy(() -> proxy.connect("main", "").close()).isInstanceOfSatisfying(SQLException.class,
                ex -> assertThat(ex.getMessage()).contains("requires TLS"));
    }

    @Test
    void refusesPlainTcpWhenTlsIsRequired() throws Exception {
        try (ProxyHarness strict = new ProxyHarness(proxy.upstream, PgProxyConfig.defaults()
                .withClientTls(selfSigned(), true))) {
            assertThatThrownBy(() -> strict.connect("main", "").close()).isInstanceOfSatisfying(SQLException.class,
                    ex -> assertThat(serverMessage(ex)).contains("TLS is required"));
            try (Connection connection = DriverManagerHelper.connect(strict.url("main", "").replace(
                    "sslmode=disable", "sslmode=require"), ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD)) {
                assertThat(connection.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void negotiatesScramOverTls() throws Exception {
        try (Connection connection = DriverManagerHelper.connect(proxy.url("main", "").replace(
                "sslmode=disable", "sslmode=require"), ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD)) {
            assertThat(connection.isValid(2)).isTrue();
        }
    }

    @Test
    void servesPsqlOverTls() throws Exception {
        Cli.Result result = Cli.finish(Cli.start(proxy, ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD,
                java.util.List.of("/usr/bin/psql", "-X", "-At", "-d", "main", "-c",
                        "select 'tls ok'"), java.util.Map.of("PGSSLMODE", "require")), 30);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().trim()).isEqualTo("tls ok");
        proxy.authenticator.scram = false;
        Cli.Result cleartext = Cli.finish(Cli.start(proxy, ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD,
                java.util.List.of("/usr/bin/psql", "-X", "-At", "-d", "main", "-c", "select 2"),
                java.util.Map.of("PGSSLMODE", "require")), 30);
        assertThat(cleartext.exitCode()).as(cleartext.output()).isZero();
    }

    @Test
    void servesTls12AndTls13PsqlClientsWithTheOpenSslEngine() throws Exception {
        String arch = System.getProperty("os.arch");
        if (System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("aarch64"))) {
            assertThat(selfSigned()).isInstanceOf(io.netty.handler.ssl.OpenSslContext.class);
        }
        for (String[] versions : new String[][] {{"TLSv1.2", "TLSv1.2"}, {"TLSv1.3", "TLSv1.3"}}) {
            Cli.Result result = Cli.finish(Cli.start(proxy, ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD,
                    java.util.List.of("/usr/bin/psql", "-X", "-At", "-d", "main", "-c", "\\conninfo", "-c",
                            "select 'tls ok'"), java.util.Map.of("PGSSLMODE", "require", "PGSSLMINPROTOCOLVERSION",
                            versions[0], "PGSSLMAXPROTOCOLVERSION", versions[1])), 30);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("SSL connection (protocol: " + versions[0] + ",")
                    .contains("tls ok");
        }
    }

    @Test
    void reportsAnUnreachableUpstream() {
        assertThatThrownBy(() -> proxy.connect("down", "").close()).isInstanceOfSatisfying(SQLException.class,
                ex -> {
                    assertThat(ex.getSQLState()).isEqualTo("08006");
                    assertThat(serverMessage(ex)).isEqualTo("could not connect to upstream database \"down\"");
                });
    }

    @Test
    void reportsUpstreamRejectingStoredCredentials() {
        assertThatThrownBy(() -> proxy.connect("badcreds", "").close()).isInstanceOfSatisfying(SQLException.class,
                ex -> {
                    assertThat(ex.getSQLState()).isEqualTo("28000");
                    assertThat(serverMessage(ex)).isEqualTo(
                            "upstream rejected DBBat's stored credentials for \"badcreds\"");
                });
    }

    @Test
    void refusesTheSessionWhenOnConnectDenies() throws Exception {
        proxy.interceptor.onConnect = session -> Decision.deny("42501", "sessions are paused");
        assertThatThrownBy(() -> proxy.connect("main", "").close()).isInstanceOfSatisfying(SQLException.class,
                ex -> assertThat(serverMessage(ex)).isEqualTo("sessions are paused"));
        ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.stream()
                .anyMatch(each -> each.detail().contains("sessions are paused")));
    }

    @Test
    void tagsTheUpstreamApplicationName() throws Exception {
        // by backend pid: other tests' upstream connections may be kept idle for reuse, tagged without "for ..."
        try (Connection connection = proxy.connect("main", "ApplicationName=reporting&assumeMinServerVersion=10");
                ResultSet pid = connection.createStatement().executeQuery("SELECT pg_backend_pid()");
                ResultSet rows = pid.next() ? proxy.upstream.superuserConnection("postgres").createStatement()
                        .executeQuery("SELECT application_name FROM pg_stat_activity WHERE pid = " + pid.getInt(1))
                        : null) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("dbbat/test @alice for reporting");
        }
    }
}
