package dev.dbbat.protocol.pg;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the PostgreSQL proxy listener. Immutable and thread-safe; start from {@link #defaults()} and use the
 * {@code with*} methods.
 *
 * @param maxFrameLength largest message accepted from the client or the upstream once the session is logged in
 *     (bytes, including the 4-byte length); larger frames end the session with SQLSTATE 08P01
 * @param maxStartupLength largest startup packet and login-phase message (bytes)
 * @param idleTimeout a session with no traffic and no statement in flight for this long is closed; zero disables
 * @param connectTimeout how long to wait for the upstream TCP connect (the upstream login gets twice as long)
 * @param loginTimeout how long a client may take from connecting to being logged in
 * @param clientTls the server-side TLS context offered to clients after SSLRequest; empty answers {@code 'N'}
 * @param requireClientTls refuse clients that do not negotiate TLS (only meaningful with {@code clientTls})
 * @param allowCleartextWithoutTls allow AuthenticationCleartextPassword over plain TCP (default false: cleartext
 *     only over TLS, SCRAM-SHA-256 otherwise)
 * @param captureResults whether result rows are decoded and handed to interceptors
 * @param maxResultRows per-statement cap on captured rows; further rows are not captured and the outcome is flagged
 *     truncated
 * @param maxResultBytes per-statement cap on captured row bytes
 * @param version DBBat version used in the upstream {@code application_name} tag
 * @param grantCheckInterval how often a session checks that its grant has not expired; zero disables
 * @param upstreamReuse whether and how upstream connections are kept for later sessions (see {@link UpstreamReuse})
 */
public record PgProxyConfig(
        int maxFrameLength,
        int maxStartupLength,
        Duration idleTimeout,
        Duration connectTimeout,
        Duration loginTimeout,
        Optional<SslContext> clientTls,
        boolean requireClientTls,
        boolean allowCleartextWithoutTls,
        boolean captureResults,
        int maxResultRows,
        long maxResultBytes,
        String version,
        Duration grantCheckInterval,
        UpstreamReuse upstreamReuse) {

    /**
     * Upstream connection reuse, as pgbouncer's session mode: when a client ends its session cleanly (Terminate or
     * disconnect) while its upstream is idle outside a transaction, the upstream gets {@code DISCARD ALL} and is kept
     * for the next session with exactly the same target, credential, TLS mode, startup parameters and read-only
     * setting, which then skips the upstream's backend start and login.
     *
     * @param enabled reuse on or off (off: every session connects and logs in upstream, and closes at the end)
     * @param maxIdlePerKey most idle connections kept per (target, credential, parameters)
     * @param maxIdle most idle connections kept in all
     * @param idleTimeout an idle kept connection is closed after this long
     */
    public record UpstreamReuse(boolean enabled, int maxIdlePerKey, int maxIdle, Duration idleTimeout) {
        public UpstreamReuse {
            if (maxIdlePerKey < 0 || maxIdle < 0) {
                throw new IllegalArgumentException("maxIdlePerKey/maxIdle must be >= 0");
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive");
            }
        }

        /** On, 20 idle per key, 200 in all, closed after 60 s idle. */
        public static UpstreamReuse defaults() {
            return new UpstreamReuse(true, 20, 200, Duration.ofSeconds(60));
        }

        public UpstreamReuse withEnabled(boolean value) {
            return new UpstreamReuse(value, maxIdlePerKey, maxIdle, idleTimeout);
        }
    }

    /** Default largest frame: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 16 * 1024 * 1024;
    /** Largest startup packet and login message: 10 KB. */
    public static final int DEFAULT_MAX_STARTUP_LENGTH = 10_000;

    public PgProxyConfig {
        if (maxFrameLength < 1024) {
            throw new IllegalArgumentException("maxFrameLength: " + maxFrameLength + " (expected: >= 1024)");
        }
        if (maxStartupLength < 256) {
            throw new IllegalArgumentException("maxStartupLength: " + maxStartupLength + " (expected: >= 256)");
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        Objects.requireNonNull(clientTls, "clientTls");
        if (maxResultRows < 0) {
            throw new IllegalArgumentException("maxResultRows: " + maxResultRows + " (expected: >= 0)");
        }
        if (maxResultBytes < 0) {
            throw new IllegalArgumentException("maxResultBytes: " + maxResultBytes + " (expected: >= 0)");
        }
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(grantCheckInterval, "grantCheckInterval");
        Objects.requireNonNull(upstreamReuse, "upstreamReuse");
    }

    /**
     * 16 MiB frames, 10 KB startup, 1 h idle, 10 s connect, 60 s login, no client TLS, SCRAM only over plain TCP,
     * capture on (100000 rows / 100 MiB), version {@code dev}, grant check every 5 s, upstream reuse on
     * ({@link UpstreamReuse#defaults()}).
     */
    public static PgProxyConfig defaults() {
        return new PgProxyConfig(DEFAULT_MAX_FRAME_LENGTH, DEFAULT_MAX_STARTUP_LENGTH, Duration.ofHours(1),
                Duration.ofSeconds(10), Duration.ofSeconds(60), Optional.empty(), false, false, true, 100_000,
                100L * 1024 * 1024, "dev", Duration.ofSeconds(5), UpstreamReuse.defaults());
    }

    public PgProxyConfig withMaxFrameLength(int value) {
        return copy(value, idleTimeout, connectTimeout, loginTimeout, clientTls, requireClientTls,
                allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes, version, grantCheckInterval);
    }

    public PgProxyConfig withIdleTimeout(Duration value) {
        return copy(maxFrameLength, value, connectTimeout, loginTimeout, clientTls, requireClientTls,
                allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes, version, grantCheckInterval);
    }

    public PgProxyConfig withConnectTimeout(Duration value) {
        return copy(maxFrameLength, idleTimeout, value, loginTimeout, clientTls, requireClientTls,
                allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes, version, grantCheckInterval);
    }

    public PgProxyConfig withLoginTimeout(Duration value) {
        return copy(maxFrameLength, idleTimeout, connectTimeout, value, clientTls, requireClientTls,
                allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes, version, grantCheckInterval);
    }

    /** Offer TLS to clients with this server context ({@code null} disables it); {@code required} refuses plain TCP. */
    public PgProxyConfig withClientTls(SslContext value, boolean required) {
        return copy(maxFrameLength, idleTimeout, connectTimeout, loginTimeout, Optional.ofNullable(value), required,
                allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes, version, grantCheckInterval);
    }

    public PgProxyConfig withAllowCleartextWithoutTls(boolean value) {
        return copy(maxFrameLength, idleTimeout, connectTimeout, loginTimeout, clientTls, requireClientTls, value,
                captureResults, maxResultRows, maxResultBytes, version, grantCheckInterval);
    }

    /** Result capture on or off, with the per-statement row and byte caps. */
    public PgProxyConfig withCapture(boolean capture, int rows, long bytes) {
        return copy(maxFrameLength, idleTimeout, connectTimeout, loginTimeout, clientTls, requireClientTls,
                allowCleartextWithoutTls, capture, rows, bytes, version, grantCheckInterval);
    }

    public PgProxyConfig withVersion(String value) {
        return copy(maxFrameLength, idleTimeout, connectTimeout, loginTimeout, clientTls, requireClientTls,
                allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes, value, grantCheckInterval);
    }

    public PgProxyConfig withGrantCheckInterval(Duration value) {
        return copy(maxFrameLength, idleTimeout, connectTimeout, loginTimeout, clientTls, requireClientTls,
                allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes, version, value);
    }

    /** Upstream connection reuse settings (see {@link UpstreamReuse}). */
    public PgProxyConfig withUpstreamReuse(UpstreamReuse value) {
        return new PgProxyConfig(maxFrameLength, maxStartupLength, idleTimeout, connectTimeout, loginTimeout,
                clientTls, requireClientTls, allowCleartextWithoutTls, captureResults, maxResultRows, maxResultBytes,
                version, grantCheckInterval, value);
    }

    private PgProxyConfig copy(int frame, Duration idle, Duration connect, Duration login, Optional<SslContext> tls,
            boolean tlsRequired, boolean cleartext, boolean capture, int rows, long bytes, String versionTag,
            Duration grantCheck) {
        return new PgProxyConfig(frame, maxStartupLength, idle, connect, login, tls, tlsRequired, cleartext, capture,
                rows, bytes, versionTag, grantCheck, upstreamReuse);
    }
}
