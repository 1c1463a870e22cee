package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.spi.ClientAuthenticator;
import dev.dbbat.core.spi.SessionInterceptor;
import dev.dbbat.core.spi.SessionInterceptors;
import dev.dbbat.core.spi.TargetResolver;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.PgProxyServer;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "Embedding the PostgreSQL proxy" snippet of the README, verbatim between the markers, made to run. */
class EmbeddingExampleIT {

    @Test
    void theReadmeSnippetWorks() throws Exception {
        Upstream upstream = Upstream.pg17();
        ClientAuthenticator myUserStore = new FakeAuthenticator().user("alice", "alice-pw");
        TargetResolver myGrants = new FakeResolver().target("sales", "127.0.0.1", upstream.port(),
                Upstream.DATABASE, Upstream.USER, Upstream.PASSWORD).grant("alice", "sales");
        RecordingInterceptor myAuditLog = new RecordingInterceptor();
        try (InputStream certPem = getClass().getResourceAsStream("/tls/proxy-cert.pem");
                InputStream keyPem = getClass().getResourceAsStream("/tls/proxy-key.pem")) {
            // --- snippet start ---
            PgProxyConfig config = PgProxyConfig.defaults()
                    .withClientTls(SslContextBuilder.forServer(certPem, keyPem).build(), false)
                    .withCapture(true, 1_000, 10L * 1024 * 1024); // keep the first 1000 rows / 10 MiB per statement
            SessionInterceptor interceptors = SessionInterceptors.chain(List.of(myAuditLog));
            try (PgProxyServer proxy = PgProxyServer.builder()
                    .config(config)
                    .authenticator(myUserStore)   // ClientAuthenticator: passwords, API keys, SCRAM verifiers
                    .resolver(myGrants)           // TargetResolver: DBBat database name -> upstream + grant
                    .interceptor(interceptors)    // SessionInterceptor: policy, quotas, statement log
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .build()) {
                InetSocketAddress bound = proxy.start();
                String url = "jdbc:postgresql://127.0.0.1:" + bound.getPort() + "/sales?sslmode=require";
                try (Connection connection = DriverManager.getConnection(url, "alice", "alice-pw");
                        ResultSet rows = connection.createStatement().executeQuery("SELECT 1")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(1);
                }
            }
            // --- snippet end ---
        }
        assertThat(myAuditLog.completedFor("SELECT 1").outcome().rowsAffected()).hasValue(1);
    }

    @Test
    void theInitializerWorksInAnEmbeddersOwnBootstrap() throws Exception {
        Upstream upstream = Upstream.pg17();
        FakeAuthenticator users = new FakeAuthenticator().user("alice", "alice-pw");
        FakeResolver grants = new FakeResolver().target("sales", "127.0.0.1", upstream.port(), Upstream.DATABASE,
                Upstream.USER, Upstream.PASSWORD).grant("alice", "sales");
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(2,
                io.netty.channel.nio.NioIoHandler.newFactory());
        try {
            io.netty.channel.Channel listener = new io.netty.bootstrap.ServerBootstrap().group(group)
                    .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                    .childHandler(new dev.dbbat.protocol.pg.PgProxyInitializer(PgProxyConfig.defaults(), users,
                            grants, new SessionInterceptor() {}))
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                    + "/sales?sslmode=disable", "alice", "alice-pw");
                    ResultSet rows = connection.createStatement().executeQuery("SELECT 'own bootstrap'")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("own bootstrap");
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
