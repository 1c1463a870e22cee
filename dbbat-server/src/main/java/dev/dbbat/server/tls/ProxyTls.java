package dev.dbbat.server.tls;

import dev.dbbat.server.config.ConfigException;
import dev.dbbat.server.config.ServerConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for a proxy listener: the configured PEM certificate and key, or else a self-signed certificate generated once
 * (EC P-256, CN={@code <name>}, SAN localhost and 127.0.0.1, valid 10 years) and kept in the home directory so its
 * fingerprint is stable across restarts.
 *
 * <p>The TLS engine is BoringSSL (Netty's OpenSSL engine, {@code netty-tcnative-boringssl-static}, shipped for Linux
 * x86-64 and aarch64) when its native library loads, else the JDK's. A handshake costs the proxy several times less
 * CPU with BoringSSL (EC P-256 signature and X25519 in native code). The system property {@value #PROVIDER_PROPERTY}
 * chooses: {@code auto} (default), {@code jdk} (force the JDK engine) or {@code openssl} (refuse to start without it).
 * The upstream side ({@code dbbat-protocol-pg}) reads the same property.
 */
public final class ProxyTls {
    /** System property choosing the TLS engine: {@code auto}, {@code jdk} or {@code openssl}. */
    public static final String PROVIDER_PROPERTY = "dbbat.tls.provider";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyTls.class);

    private ProxyTls() {}

    /**
     * The server {@link SslContext} for a listener, or empty when TLS is disabled.
     *
     * @param tls the listener's TLS settings
     * @param variablePrefix e.g. {@code DBB_PG_TLS}, for error messages
     * @param home where a generated certificate is kept
     * @param name the certificate's common name and file prefix, e.g. {@code dbbat-pg-proxy}
     * @throws ConfigException when the configured files cannot be used
     */
    public static Optional<SslContext> serverContext(ServerConfig.Tls tls, String variablePrefix, Path home,
            String name) {
        return serverContext(tls, variablePrefix, home, name, System.getProperty(PROVIDER_PROPERTY));
    }

    /** {@link #serverContext(ServerConfig.Tls, String, Path, String)} with the engine setting given. */
    static Optional<SslContext> serverContext(ServerConfig.Tls tls, String variablePrefix, Path home, String name,
            String providerSetting) {
        if (tls.disable()) {
            return Optional.empty();
        }
        SslProvider provider = provider(providerSetting);
        Optional<SslContext> context = load(tls, variablePrefix, home, name, provider);
        LOG.info("TLS for {}: {} engine", name, describe(provider, providerSetting));
        return context;
    }

    /**
     * The engine for a {@value #PROVIDER_PROPERTY} setting: OpenSSL when it loads, unless {@code jdk} is asked for.
     *
     * @throws ConfigException for {@code openssl} when it does not load, and for an unknown value
     */
    static SslProvider provider(String setting) {
        String wanted = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "jdk" -> {
                return SslProvider.JDK;
            }
            case "auto" -> {
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            }
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    throw ConfigException.invalid("-D" + PROVIDER_PROPERTY, wanted, "OpenSSL is not available here: "
                            + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            }
            default -> throw ConfigException.invalid("-D" + PROVIDER_PROPERTY, wanted, "expected auto, jdk or openssl");
        }
    }

    private static String describe(SslProvider provider, String setting) {
        if (provider == SslProvider.OPENSSL) {
            return "OpenSSL (" + OpenSsl.versionString() + ")";
        }
        if (setting != null && setting.trim().equalsIgnoreCase("jdk")) {
            return "JDK (-D" + PROVIDER_PROPERTY + "=jdk)";
        }
        Throwable cause = OpenSsl.unavailabilityCause();
        return "JDK (OpenSSL not available: " + (cause == null ? "unknown" : cause.getClass().getSimpleName() + ": "
                + cause.getMessage()) + ")";
    }

    private static Optional<SslContext> load(ServerConfig.Tls tls, String variablePrefix, Path home, String name,
            SslProvider provider) {
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
            try {
                return Optional.of(SslContextBuilder.forServer(tls.certFile().get().toFile(),
                        tls.keyFile().get().toFile()).sslProvider(provider).build());
            } catch (SSLException | IllegalArgumentException ex) {
                throw new ConfigException(variablePrefix + "_CERT_FILE", "invalid " + variablePrefix
                        + "_CERT_FILE/" + variablePrefix + "_KEY_FILE: cannot load the PEM pair: " + ex.getMessage());
            }
        }
        Path cert = home.resolve(name + ".crt");
        Path key = home.resolve(name + ".key");
        try {
            if (!Files.exists(cert) || !Files.exists(key)) {
                generate(name, cert, key);
                LOG.info("generated a self-signed TLS certificate for {} in {}", name, cert);
            }
            return Optional.of(SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(provider).build());
        } catch (SSLException | IllegalArgumentException ex) {
            throw new IllegalStateException("cannot load the generated certificate " + cert + " (delete it and "
                    + key + " to regenerate): " + ex.getMessage(), ex);
        }
    }

    /** Writes a new self-signed certificate and its PKCS#8 key (mode 0600) as PEM. */
    static void generate(String name, Path certFile, Path keyFile) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = selfSign(name, pair);
            Files.createDirectories(certFile.toAbsolutePath().getParent());
            writePrivate(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
            Files.writeString(certFile, pem(certificate), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | OperatorCreationException ex) {
            throw new IllegalStateException("cannot generate a TLS certificate: " + ex.getMessage(), ex);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + certFile, ex);
        }
    }

    static X509Certificate selfSign(String name, KeyPair pair)
            throws OperatorCreationException, GeneralSecurityException, IOException {
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        }));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException ex) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
