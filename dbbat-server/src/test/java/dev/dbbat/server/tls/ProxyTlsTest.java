package dev.dbbat.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.server.config.ConfigException;
import dev.dbbat.server.config.ServerConfig;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    private static Optional<SslContext> generated(Path home, String engine) {
        return ProxyTls.serverContext(new ServerConfig.Tls(false, Optional.empty(), Optional.empty()), "DBB_PG_TLS",
                home, "dbbat-pg-proxy", engine);
    }

    /** Linux x86-64 and aarch64 are the platforms whose BoringSSL natives ship in dbbat.jar. */
    private static boolean shipsBoringSsl() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return os.contains("linux") && List.of("amd64", "x86_64", "aarch64").contains(arch);
    }

    @Test
    void usesBoringSslWhereItShipsAndTheJdkEngineElsewhere() {
        SslContext context = generated(home, null).orElseThrow();
        if (shipsBoringSsl()) {
            assertThat(OpenSsl.isAvailable()).as("OpenSSL unavailable: %s", OpenSsl.unavailabilityCause()).isTrue();
            assertThat(OpenSsl.versionString()).contains("BoringSSL");
            assertThat(context).isInstanceOf(OpenSslContext.class);
            assertThat(generated(home, "openssl").orElseThrow()).isInstanceOf(OpenSslContext.class);
        } else {
            assertThat(context).isInstanceOf(OpenSsl.isAvailable() ? OpenSslContext.class : JdkSslContext.class);
        }
        assertThat(context.isServer()).isTrue();
    }

    @Test
    void theJdkSettingForcesTheJdkEngine() {
        assertThat(generated(home, "jdk").orElseThrow()).isInstanceOf(JdkSslContext.class);
        assertThat(generated(home, " JDK ").orElseThrow()).isInstanceOf(JdkSslContext.class);
    }

    @Test
    void rejectsAnUnknownEngineSetting() {
        assertThatThrownBy(() -> generated(home, "gnutls")).isInstanceOf(ConfigException.class)
                .hasMessage("invalid -Ddbbat.tls.provider 'gnutls': expected auto, jdk or openssl");
    }

    /**
     * PEM pairs as operators bring them: RSA and EC keys in PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA keys in PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}), load with either engine and serve TLS 1.2 and TLS 1.3 clients.
     */
    @ParameterizedTest(name = "{0} key, {1}, {2} engine, {3} client")
    @CsvSource({
        "EC, pkcs8, auto, TLSv1.3", "EC, pkcs8, auto, TLSv1.2", "EC, pkcs8, jdk, TLSv1.3", "EC, pkcs8, jdk, TLSv1.2",
        "RSA, pkcs8, auto, TLSv1.3", "RSA, pkcs8, auto, TLSv1.2", "RSA, pkcs8, jdk, TLSv1.3", "RSA, pkcs8, jdk, TLSv1.2",
        "RSA, traditional, auto, TLSv1.3", "RSA, traditional, auto, TLSv1.2", "RSA, traditional, jdk, TLSv1.3", "RSA, traditional, jdk, TLSv1.2"
    })
    void loadsPemPairsAndServesTls12And13Clients(String algorithm, String keyFormat, String engine, String protocol)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=localhost");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                subject, BigInteger.TWO, Date.from(Instant.now().minus(1, ChronoUnit.DAYS)),
                Date.from(Instant.now().plus(1, ChronoUnit.DAYS)), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder(algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                        .build(pair.getPrivate())));
        Path cert = Files.writeString(home.resolve("server.crt"), pem(certificate));
        Path key = Files.writeString(home.resolve("server.key"), keyFormat.equals("pkcs8")
                ? pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()) : pem(pair.getPrivate()));
        assertThat(Files.readString(key)).startsWith(keyFormat.equals("pkcs8") ? "-----BEGIN PRIVATE KEY-----"
                : "-----BEGIN " + algorithm + " PRIVATE KEY-----");

        SslContext context = ProxyTls.serverContext(new ServerConfig.Tls(false, Optional.of(cert), Optional.of(key)),
                "DBB_PG_TLS", home, "dbbat-pg-proxy", engine).orElseThrow();
        assertThat(context).isInstanceOf(engine.equals("jdk") || !OpenSsl.isAvailable() ? JdkSslContext.class
                : OpenSslContext.class);
        assertThat(InMemoryHandshake.run(context, protocol)).isEqualTo(protocol);
    }

    @Test
    void theGeneratedCertificateServesTls12And13Clients() throws Exception {
        for (String engine : new String[] {"auto", "jdk"}) {
            SslContext context = generated(home, engine).orElseThrow();
            assertThat(InMemoryHandshake.run(context, "TLSv1.3")).isEqualTo("TLSv1.3");
            assertThat(InMemoryHandshake.run(context, "TLSv1.2")).isEqualTo("TLSv1.2");
        }
    }

    private static String pem(Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
