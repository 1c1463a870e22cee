package dev.dbbat.protocol.pg.it;

import dev.dbbat.core.event.Control;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.PgProxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A proxy in front of an {@link Upstream}, with fake SPI implementations. Users: {@code alice} (password
 * {@code alice-pw}, API key {@code dbb_alice_key_1}) and {@code bob} (no grants). Databases: {@code main} (full
 * access), {@code ro} (read_only), {@code noddl} (block_ddl), {@code nocopy} (block_copy), {@code down} (nothing
 * listening), {@code badcreds} (wrong stored password), all but the last two on {@code appdb}.
 */
final class ProxyHarness implements AutoCloseable {
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-pw";
    static final String ALICE_KEY = "dbb_alice_key_1";

    final Upstream upstream;
    final FakeAuthenticator authenticator = new FakeAuthenticator();
    final FakeResolver resolver = new FakeResolver();
    final RecordingInterceptor interceptor = new RecordingInterceptor();
    final PgProxyServer server;
    final InetSocketAddress address;

    ProxyHarness(Upstream upstream, PgProxyConfig config) throws Exception {
        this(upstream, config, null);
    }

    /** With {@code group} non-null, the proxy runs on that (caller-owned) event loop group. */
    ProxyHarness(Upstream upstream, PgProxyConfig config, io.netty.channel.EventLoopGroup group) throws Exception {
        this.upstream = upstream;
        authenticator.user(ALICE, ALICE_PASSWORD, ALICE_KEY).user("bob", "bob-pw");
        String host = "127.0.0.1";
        int port = upstream.port();
        resolver.target("main", host, port, Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD)
                .target("ro", host, port, Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD)
                .target("noddl", host, port, Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD)
                .target("nocopy", host, port, Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD)
                .target("down", host, closedPort(), Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD)
                .target("badcreds", host, port, Upstream.DATABASE, Upstream.USER, "not-the-password")
                .grant(ALICE, "main")
                .grant(ALICE, "ro", Control.READ_ONLY)
                .grant(ALICE, "noddl", Control.BLOCK_DDL)
                .grant(ALICE, "nocopy", Control.BLOCK_COPY)
                .grant(ALICE, "down")
                .grant(ALICE, "badcreds");
        PgProxyServer.Builder builder = PgProxyServer.builder().config(config).authenticator(authenticator)
                .resolver(resolver).interceptor(interceptor).bind(new InetSocketAddress("127.0.0.1", 0));
        if (group != null) {
            builder.eventLoopGroup(group);
        }
        server = builder.build();
        address = server.start();
    }

    ProxyHarness(Upstream upstream) throws Exception {
        this(upstream, PgProxyConfig.defaults().withVersion("test"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String url(String database, String extra) {
        return "jdbc:postgresql://127.0.0.1:" + address.getPort() + "/" + database + "?sslmode=disable"
                + (extra.isEmpty() ? "" : "&" + extra);
    }

    Connection connect(String database, String extra) throws SQLException {
        return connect(database, ALICE, ALICE_PASSWORD, extra);
    }

    Connection connect(String database, String user, String password, String extra) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(url(database, extra), properties);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
