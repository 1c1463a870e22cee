package dev.dbbat.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.server.config.ConfigException;
import dev.dbbat.server.config.ServerConfig;
import io.netty.handler.ssl.SslContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyTlsTest {
    @TempDir
    Path home;

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void generatesAndKeepsASelfSignedCertificate() throws Exception {
        Optional<SslContext> context = ProxyTls.serverContext(new ServerConfig.Tls(false, Optional.empty(),
                Optional.empty()), "DBB_PG_TLS", home, "dbbat-pg-proxy");
        assertThat(context).get().satisfies(ssl -> assertThat(ssl.isServer()).isTrue());
        X509Certificate certificate = read(home.resolve("dbbat-pg-proxy.crt"));
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=dbbat-pg-proxy");
        assertThat(certificate.getSubjectAlternativeNames()).contains(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(3600, ChronoUnit.DAYS));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("dbbat-pg-proxy.key"))))
                .isEqualTo("rw-------");

        ProxyTls.serverContext(new ServerConfig.Tls(false, Optional.empty(), Optional.empty()), "DBB_PG_TLS", home,
                "dbbat-pg-proxy");
        assertThat(read(home.resolve("dbbat-pg-proxy.crt"))).isEqualTo(certificate);
    }

    @Test
    void loadsAConfiguredPemPair() throws Exception {
        Path cert = home.resolve("mine.crt");
        Path key = home.resolve("mine.key");
        ProxyTls.generate("custom", cert, key);
        assertThat(ProxyTls.serverContext(new ServerConfig.Tls(false, Optional.of(cert), Optional.of(key)),
                "DBB_PG_TLS", home, "dbbat-pg-proxy")).isPresent();
        assertThat(home.resolve("dbbat-pg-proxy.crt")).doesNotExist();
    }

    @Test
    void rejectsAnUnusablePemPairNamingTheVariables() throws Exception {
        Path cert = Files.writeString(home.resolve("bad.crt"), "not a certificate");
        Path key = Files.writeString(home.resolve("bad.key"), "not a key");
        assertThatThrownBy(() -> ProxyTls.serverContext(new ServerConfig.Tls(false, Optional.of(cert),
                Optional.of(key)), "DBB_PG_TLS", home, "dbbat-pg-proxy")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid DBB_PG_TLS_CERT_FILE/DBB_PG_TLS_KEY_FILE");
    }

    @Test
    void returnsNothingWhenDisabled() {
        assertThat(ProxyTls.serverContext(new ServerConfig.Tls(true, Optional.empty(), Optional.empty()),
                "DBB_PG_TLS", home, "dbbat-pg-proxy")).isEmpty();
    }
}
