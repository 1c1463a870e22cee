package dev.dbbat.protocol.pg.session;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * libpq {@code sslmode} semantics for the upstream connection: {@code disable} and {@code allow} use plain TCP;
 * {@code prefer} tries TLS and falls back; {@code require} insists on TLS without verifying the certificate;
 * {@code verify-ca} verifies the chain with the JDK trust store; {@code verify-full} also checks the host name.
 * The contexts are built once and shared (thread-safe).
 */
final class UpstreamTls {
    private static final SslContext UNVERIFIED = build(Verification.NONE);
    private static final SslContext VERIFY_CA = build(Verification.CHAIN);
    private static final SslContext VERIFY_FULL = build(Verification.FULL);

    private enum Verification {
        NONE,
        CHAIN,
        FULL
    }

    private UpstreamTls() {}

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

    private static SslContext build(Verification verification) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (verification == Verification.NONE) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            builder.endpointIdentificationAlgorithm(verification == Verification.FULL ? "HTTPS" : null);
            return builder.build();
        } catch (SSLException ex) {
            throw new IllegalStateException("cannot build the upstream TLS context", ex);
        }
    }
}
