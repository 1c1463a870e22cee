package dev.dbbat.protocol.pg.session;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libpq {@code sslmode} semantics for the upstream connection: {@code disable} and {@code allow} use plain TCP;
 * {@code prefer} tries TLS and falls back; {@code require} insists on TLS without verifying the certificate;
 * {@code verify-ca} verifies the chain with the JDK trust store; {@code verify-full} also checks the host name.
 * The contexts are built once and shared (thread-safe).
 *
 * <p>The TLS engine is BoringSSL (Netty's OpenSSL engine, from {@code netty-tcnative-boringssl-static}) when its
 * native library loads, else the JDK's; the system property {@value #PROVIDER_PROPERTY} set to {@code jdk} forces the
 * JDK engine. The certificate checks are the same with either: the JDK trust store and host name verification.
 */
final class UpstreamTls {
    /** System property: {@code auto} (default), {@code jdk} or {@code openssl}. */
    static final String PROVIDER_PROPERTY = "dbbat.tls.provider";

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTls.class);
    static final SslProvider PROVIDER = provider(System.getProperty(PROVIDER_PROPERTY));
    private static final SslContext UNVERIFIED = build(Verification.NONE, PROVIDER, null);
    private static final SslContext VERIFY_CA = build(Verification.CHAIN, PROVIDER, null);
    private static final SslContext VERIFY_FULL = build(Verification.FULL, PROVIDER, null);

    static {
        LOG.info("upstream TLS engine: {}", PROVIDER == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString()
                + ")" : "JDK");
    }

    enum Verification {
        NONE,
        CHAIN,
        FULL
    }

    private UpstreamTls() {}

    /** Loads the engine and builds the contexts (once, in the caller's thread). */
    static SslProvider load() {
        return PROVIDER;
    }

    static boolean sendsSslRequest(String sslMode) {
        return switch (normalise(sslMode)) {
            case "prefer", "require", "verify-ca", "verify-full" -> true;
            default -> false;
        };
    }

    static boolean requiresTls(String sslMode) {
        return switch (normalise(sslMode)) {
            case "require", "verify-ca", "verify-full" -> true;
            default -> false;
        };
    }

    static SslContext context(String sslMode) {
        return switch (normalise(sslMode)) {
            case "verify-ca" -> VERIFY_CA;
            case "verify-full" -> VERIFY_FULL;
            default -> UNVERIFIED;
        };
    }

    private static String normalise(String sslMode) {
        return sslMode == null || sslMode.isBlank() ? "prefer" : sslMode.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The engine for a {@value #PROVIDER_PROPERTY} setting: OpenSSL when it is available unless {@code jdk} is asked
     * for; {@code openssl} when it is not available falls back to the JDK with an error in the log.
     */
    static SslProvider provider(String setting) {
        String wanted = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "jdk" -> {
                return SslProvider.JDK;
            }
            case "auto", "openssl" -> {
                if (OpenSsl.isAvailable()) {
                    return SslProvider.OPENSSL;
                }
                if (wanted.equals("openssl")) {
                    LOG.error("upstream TLS: -D{}=openssl but OpenSSL is not available ({}): using the JDK engine",
                            PROVIDER_PROPERTY, String.valueOf(OpenSsl.unavailabilityCause()));
                }
                return SslProvider.JDK;
            }
            default -> {
                LOG.warn("upstream TLS: unknown -D{}={} (auto, jdk or openssl): using auto", PROVIDER_PROPERTY,
                        wanted);
                return provider("auto");
            }
        }
    }

    /**
     * A client context.
     *
     * @param trust the trusted certificates for {@code CHAIN} and {@code FULL}; {@code null} for the JDK trust store
     */
    static SslContext build(Verification verification, SslProvider provider, TrustManagerFactory trust) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider);
            if (verification == Verification.NONE) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (trust != null) {
                builder.trustManager(trust);
            }
            builder.endpointIdentificationAlgorithm(verification == Verification.FULL ? "HTTPS" : null);
            return builder.build();
        } catch (SSLException ex) {
            throw new IllegalStateException("cannot build the upstream TLS context", ex);
        }
    }
}
