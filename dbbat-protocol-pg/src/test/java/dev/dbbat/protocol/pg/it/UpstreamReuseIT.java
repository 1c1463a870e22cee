package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.protocol.pg.PgProxyConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream connections kept across client sessions ({@link PgProxyConfig.UpstreamReuse}): the next session with the
 * same key gets the same upstream backend, reset with {@code DISCARD ALL}, and nothing of the previous session shows.
 * The proxy runs on one event loop so that every session may reuse every parked connection.
 */
class UpstreamReuseIT {
    private static final String RESET = "DISCARD ALL";
    private static final String READ_ONLY_SET = "SET SESSION default_transaction_read_only = on";
    private static Upstream upstream;
    private static EventLoopGroup group;
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = Upstream.pg17();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        proxy = new ProxyHarness(upstream, PgProxyConfig.defaults().withVersion("test"), group);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        proxy.interceptor.assertEachSessionClosedOnce();
    }

    private static int pid(Connection connection) throws SQLException {
        return intValue(connection, "SELECT pg_backend_pid()");
    }

    private static int intValue(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The backend as pg_stat_activity shows it: "state|query", or null when it is gone. */
    private static String activity(int pid) throws SQLException {
        try (Connection admin = upstream.superuserConnection("postgres");
                PreparedStatement statement = admin.prepareStatement(
                        "SELECT state || '|' || query FROM pg_stat_activity WHERE pid = ?")) {
            statement.setInt(1, pid);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** Waits until the proxy has reset the backend (its last statement is the reset, and it is idle). */
    private static void awaitParked(int pid, String lastStatement) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!("idle|" + lastStatement).equals(activity(pid))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("backend " + pid + " not reset: " + activity(pid));
            }
            Thread.sleep(20);
        }
        Thread.sleep(100); // the proxy reads the reset's ReadyForQuery just after the backend reports idle
    }

    private static void awaitGone(int pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (activity(pid) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("backend " + pid + " still there: " + activity(pid));
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aSecondSessionGetsTheSameUpstreamBackendAfterAReset() throws Exception {
        int first;
        try (Connection connection = proxy.connect("main", "")) {
            first = pid(connection);
        }
        awaitParked(first, RESET);
        int connectsBefore = proxy.interceptor.connects.size();
        try (Connection connection = proxy.connect("main", "")) {
            assertThat(pid(connection)).isEqualTo(first);
            assertThat(text(connection, "SELECT current_user")).isEqualTo(Upstream.USER);
        }
        // the reused session went through the same admission as a fresh one
        assertThat(proxy.interceptor.connects).hasSize(connectsBefore + 1);
    }

    @Test
    void nothingOfThePreviousSessionLeaks() throws Exception {
        int first;
        try (Connection connection = proxy.connect("main", "prepareThreshold=1");
                Statement statement = connection.createStatement()) {
            first = pid(connection);
            statement.execute("CREATE TEMP TABLE leaked_temp (id int)");
            statement.execute("SET search_path = pg_catalog");
            statement.execute("SET dbbat_test.custom = 'leaked'");
            statement.execute("SET statement_timeout = '123s'");
            statement.execute("SELECT pg_advisory_lock(4242)");
            statement.execute("LISTEN leaked_channel");
            try (PreparedStatement prepared = connection.prepareStatement("SELECT 1 + ?")) {
                prepared.setInt(1, 1);
                prepared.executeQuery().close();
            }
            assertThat(intValue(connection, "SELECT count(*) FROM pg_prepared_statements")).isPositive();
        }
        awaitParked(first, RESET);
        try (Connection connection = proxy.connect("main", "prepareThreshold=1")) {
            assertThat(pid(connection)).isEqualTo(first);
            assertThat(text(connection, "SELECT to_regclass('pg_temp.leaked_temp')::text")).isNull();
            assertThat(intValue(connection, "SELECT count(*) FROM pg_prepared_statements "
                    + "WHERE statement = 'SELECT 1 + $1'")).isZero();
            assertThat(text(connection, "SHOW search_path")).isEqualTo("\"$user\", public");
            assertThat(text(connection, "SELECT current_setting('dbbat_test.custom', true)")).isNullOrEmpty();
            assertThat(text(connection, "SHOW statement_timeout")).isEqualTo("0");
            assertThat(intValue(connection, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND pid = pg_backend_pid()")).isZero();
            assertThat(intValue(connection, "SELECT count(*) FROM pg_listening_channels()")).isZero();
            // pgjdbc names its first server-side statement S_1 again: it must not exist already
            try (PreparedStatement prepared = connection.prepareStatement("SELECT 1 + ?")) {
                prepared.setInt(1, 2);
                try (ResultSet rows = prepared.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(3);
                }
            }
        }
        // and the advisory lock is free for others
        try (Connection other = upstream.appConnection()) {
            assertThat(text(other, "SELECT pg_try_advisory_lock(4242)::text")).isEqualTo("true");
        }
    }

    @Test
    void anUpstreamLeftInATransactionIsClosedNotReused() throws Exception {
        int first;
        try (Connection connection = proxy.connect("main", "")) {
            first = pid(connection);
            connection.setAutoCommit(false);
            connection.createStatement().execute("CREATE TEMP TABLE in_transaction (id int)");
            // closed with the transaction open: pgjdbc sends Terminate without COMMIT
        }
        awaitGone(first);
        try (Connection connection = proxy.connect("main", "")) {
            assertThat(pid(connection)).isNotEqualTo(first);
            assertThat(text(connection, "SELECT to_regclass('pg_temp.in_transaction')::text")).isNull();
        }
    }

    @Test
    void readOnlyAndReadWriteSessionsNeverShareAnUpstream() throws Exception {
        int readOnly;
        try (Connection connection = proxy.connect("ro", "")) {
            readOnly = pid(connection);
            assertThat(text(connection, "SHOW default_transaction_read_only")).isEqualTo("on");
        }
        awaitParked(readOnly, READ_ONLY_SET);
        try (Connection connection = proxy.connect("main", "")) {
            assertThat(pid(connection)).isNotEqualTo(readOnly);
            assertThat(text(connection, "SHOW default_transaction_read_only")).isEqualTo("off");
        }
        try (Connection connection = proxy.connect("ro", "")) {
            assertThat(pid(connection)).isEqualTo(readOnly);
            // DISCARD ALL reset it: the pool set it again before parking
            assertThat(text(connection, "SHOW default_transaction_read_only")).isEqualTo("on");
        }
    }

    @Test
    void differentStartupParametersGetDifferentUpstreams() throws Exception {
        int first;
        try (Connection connection = proxy.connect("main", "assumeMinServerVersion=10&ApplicationName=one")) {
            first = pid(connection);
        }
        awaitParked(first, RESET);
        try (Connection connection = proxy.connect("main", "assumeMinServerVersion=10&ApplicationName=two")) {
            assertThat(pid(connection)).isNotEqualTo(first);
            assertThat(text(connection, "SHOW application_name")).isEqualTo("dbbat/test @alice for two");
        }
        try (Connection connection = proxy.connect("main", "assumeMinServerVersion=10&ApplicationName=one")) {
            assertThat(pid(connection)).isEqualTo(first);
        }
    }

    /** Cancels {@code statement} from another thread 300 ms from now. */
    private static CompletableFuture<Void> cancelSoon(Statement statement) {
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
                statement.cancel();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    @Test
    void cancelReachesTheReusedBackend() throws Exception {
        int first;
        try (Connection connection = proxy.connect("main", "")) {
            first = pid(connection);
        }
        awaitParked(first, RESET);
        try (Connection connection = proxy.connect("main", "")) {
            assertThat(pid(connection)).isEqualTo(first);
            Statement statement = connection.createStatement();
            CompletableFuture<Void> canceller = cancelSoon(statement);
            long started = System.nanoTime();
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(30)"))
                    .isInstanceOfSatisfying(SQLException.class, ex -> assertThat(ex.getSQLState()).isEqualTo("57014"));
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(10));
            canceller.join();
            assertThat(intValue(connection, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void anUpstreamThatWasSentACancelIsNotReused() throws Exception {
        int first;
        try (Connection connection = proxy.connect("main", "")) {
            first = pid(connection);
            Statement statement = connection.createStatement();
            CompletableFuture<Void> canceller = cancelSoon(statement);
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(30)")).isInstanceOf(SQLException.class);
            canceller.join();
        }
        // a cancel travels on its own connection and could land on the next session's statement
        awaitGone(first);
        try (Connection connection = proxy.connect("main", "")) {
            assertThat(pid(connection)).isNotEqualTo(first);
        }
    }

    @Test
    void aParkedUpstreamTheServerClosedIsNotHandedOut() throws Exception {
        int first;
        try (Connection connection = proxy.connect("main", "")) {
            first = pid(connection);
        }
        awaitParked(first, RESET);
        try (Connection admin = upstream.superuserConnection("postgres")) {
            admin.createStatement().execute("SELECT pg_terminate_backend(" + first + ")");
        }
        awaitGone(first);
        Thread.sleep(100);
        try (Connection connection = proxy.connect("main", "")) {
            assertThat(pid(connection)).isNotEqualTo(first);
            assertThat(intValue(connection, "SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void keepsAtMostMaxIdlePerKeyAndClosesThemWithTheServer() throws Exception {
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        PgProxyConfig config = PgProxyConfig.defaults().withVersion("test")
                .withUpstreamReuse(new PgProxyConfig.UpstreamReuse(true, 1, 10, Duration.ofSeconds(60)));
        int a;
        int b;
        try (ProxyHarness bounded = new ProxyHarness(upstream, config, own)) {
            Connection first = bounded.connect("main", "ApplicationName=bounds");
            Connection second = bounded.connect("main", "ApplicationName=bounds");
            a = pid(first);
            b = pid(second);
            first.close();
            awaitParked(a, RESET);
            second.close();
            awaitGone(b); // the key already has its one idle connection
            assertThat(activity(a)).isEqualTo("idle|" + RESET);
            try (Connection again = bounded.connect("main", "ApplicationName=bounds")) {
                assertThat(pid(again)).isEqualTo(a);
            }
            awaitParked(a, RESET);
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
        awaitGone(a); // server close closes parked connections
    }

    @Test
    void keepsAtMostMaxIdleInAll() throws Exception {
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        PgProxyConfig config = PgProxyConfig.defaults().withVersion("test")
                .withUpstreamReuse(new PgProxyConfig.UpstreamReuse(true, 5, 1, Duration.ofSeconds(60)));
        try (ProxyHarness bounded = new ProxyHarness(upstream, config, own)) {
            Connection first = bounded.connect("main", "ApplicationName=total1");
            Connection second = bounded.connect("main", "ApplicationName=total2");
            int a = pid(first);
            int b = pid(second);
            first.close();
            awaitParked(a, RESET);
            second.close();
            awaitGone(b); // another key, but the pool already holds its one connection
            assertThat(activity(a)).isEqualTo("idle|" + RESET);
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void closesParkedUpstreamsAfterTheIdleTimeout() throws Exception {
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        PgProxyConfig config = PgProxyConfig.defaults().withVersion("test")
                .withUpstreamReuse(new PgProxyConfig.UpstreamReuse(true, 5, 10, Duration.ofMillis(700)));
        try (ProxyHarness timed = new ProxyHarness(upstream, config, own)) {
            int first;
            long closing;
            try (Connection connection = timed.connect("main", "")) {
                first = pid(connection);
                closing = System.nanoTime(); // the backend can only be parked after this
            }
            awaitParked(first, RESET);
            awaitGone(first);
            // measured from before the park, so a slow poll (a loaded machine) can only lengthen it
            assertThat(System.nanoTime() - closing).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(600));
            try (Connection connection = timed.connect("main", "")) {
                assertThat(pid(connection)).isNotEqualTo(first);
            }
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void withReuseOffEverySessionHasItsOwnBackend() throws Exception {
        EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        PgProxyConfig config = PgProxyConfig.defaults().withVersion("test")
                .withUpstreamReuse(PgProxyConfig.UpstreamReuse.defaults().withEnabled(false));
        try (ProxyHarness off = new ProxyHarness(upstream, config, own)) {
            int first;
            try (Connection connection = off.connect("main", "")) {
                first = pid(connection);
            }
            awaitGone(first);
            try (Connection connection = off.connect("main", "")) {
                assertThat(pid(connection)).isNotEqualTo(first);
            }
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
