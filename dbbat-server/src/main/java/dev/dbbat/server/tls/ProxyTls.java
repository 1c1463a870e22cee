package dev.dbbat.server.tls;

import dev.dbbat.server.config.ConfigException;
import dev.dbbat.server.config.ServerConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
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
 */
public final class ProxyTls {
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
        if (tls.disable()) {
            return Optional.empty();
        }
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
            try {
                return Optional.of(SslContextBuilder.forServer(tls.certFile().get().toFile(),
                        tls.keyFile().get().toFile()).build());
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
            return Optional.of(SslContextBuilder.forServer(cert.toFile(), key.toFile()).build());
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
