package dev.dbbat.protocol.pg.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upstream TLS contexts: BoringSSL where its natives ship, the JDK engine on request, and libpq's sslmode
 * checks (chain, host name) with either engine, through in-memory handshakes between real engines.
 */
class UpstreamTlsTest {
    /** CN=dbbat-pg-proxy, no subjectAltName: host name checks fall back to the CN. */
    private static final String CERT_HOST = "dbbat-pg-proxy";

    private static boolean shipsBoringSsl() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return os.contains("linux") && List.of("amd64", "x86_64", "aarch64").contains(arch);
    }

    @Test
    void usesBoringSslWhereItShips() {
        SslContext context = UpstreamTls.context("require");
        assertThat(context.isClient()).isTrue();
        if (shipsBoringSsl()) {
            assertThat(OpenSsl.isAvailable()).as("OpenSSL unavailable: %s", OpenSsl.unavailabilityCause()).isTrue();
            assertThat(UpstreamTls.PROVIDER).isEqualTo(SslProvider.OPENSSL);
            assertThat(context).isInstanceOf(OpenSslContext.class);
            assertThat(UpstreamTls.context("verify-full")).isInstanceOf(OpenSslContext.class);
        } else {
            assertThat(context).isInstanceOf(OpenSsl.isAvailable() ? OpenSslContext.class : JdkSslContext.class);
        }
    }

    @Test
    void theProviderSettingChoosesTheEngine() {
        SslProvider auto = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        assertThat(UpstreamTls.provider("jdk")).isEqualTo(SslProvider.JDK);
        assertThat(UpstreamTls.provider(" JDK ")).isEqualTo(SslProvider.JDK);
        assertThat(UpstreamTls.provider(null)).isEqualTo(auto);
        assertThat(UpstreamTls.provider("auto")).isEqualTo(auto);
        assertThat(UpstreamTls.provider("openssl")).isEqualTo(auto);
        assertThat(UpstreamTls.provider("gnutls")).isEqualTo(auto);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void checksTheChainAndTheHostNameAsSslmodeSays(SslProvider provider) throws Exception {
        if (provider == SslProvider.OPENSSL) {
            assertThat(OpenSsl.isAvailable() || !shipsBoringSsl()).isTrue();
        }
        SslProvider engine = provider == SslProvider.OPENSSL && !OpenSsl.isAvailable() ? SslProvider.JDK : provider;
        TrustManagerFactory trusted = trusting("/tls/proxy-cert.pem");
        SslContext full = UpstreamTls.build(UpstreamTls.Verification.FULL, engine, trusted);
        SslContext chain = UpstreamTls.build(UpstreamTls.Verification.CHAIN, engine, trusted);
        SslContext none = UpstreamTls.build(UpstreamTls.Verification.NONE, engine, null);
        SslContext jdkTrustStore = UpstreamTls.build(UpstreamTls.Verification.CHAIN, engine, null);

        assertThat(handshake(full, CERT_HOST)).startsWith("TLSv1.");
        assertThatThrownBy(() -> handshake(full, "elsewhere.example")).isInstanceOf(SSLException.class);
        assertThat(handshake(chain, "elsewhere.example")).startsWith("TLSv1.");
        assertThatThrownBy(() -> handshake(jdkTrustStore, CERT_HOST)).isInstanceOf(SSLException.class);
        assertThat(handshake(none, "elsewhere.example")).startsWith("TLSv1.");
    }

    private static TrustManagerFactory trusting(String resource) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = UpstreamTlsTest.class.getResourceAsStream(resource)) {
            store.setCertificateEntry("upstream", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    /** A handshake of a client engine for {@code host} against the test upstream certificate; the protocol. */
    private static String handshake(SslContext clientContext, String host) throws Exception {
        SslContext serverContext;
        try (InputStream cert = UpstreamTlsTest.class.getResourceAsStream("/tls/proxy-cert.pem");
                InputStream key = UpstreamTlsTest.class.getResourceAsStream("/tls/proxy-key.pem")) {
            serverContext = SslContextBuilder.forServer(cert, key).sslProvider(SslProvider.JDK).build();
        }
        SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT, host, 5432);
        SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        try {
            ByteBuffer toServer = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer toClient = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer app = ByteBuffer.allocateDirect(1 << 16);
            client.beginHandshake();
            server.beginHandshake();
            boolean clientDone = false;
            boolean serverDone = false;
            for (int step = 0; step < 50 && !(clientDone && serverDone); step++) {
                clientDone |= step(client, toServer, toClient, app);
                serverDone |= step(server, toClient, toServer, app);
            }
            if (!(clientDone && serverDone)) {
                throw new SSLException("handshake did not finish");
            }
            return client.getSession().getProtocol();
        } finally {
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
    }

    private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        boolean finished = false;
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(in, app);
            finished |= result.getHandshakeStatus() == HandshakeStatus.FINISHED;
            runTasks(engine);
            app.clear();
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
            // the OpenSSL engine completes its state change on the next call, as SslHandler makes it
            finished |= engine.unwrap(ByteBuffer.allocate(0), app).getHandshakeStatus() == HandshakeStatus.FINISHED;
            app.clear();
        }
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
            finished |= result.getHandshakeStatus() == HandshakeStatus.FINISHED;
            runTasks(engine);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + result);
            }
        }
        return finished;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
