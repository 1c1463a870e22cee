package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.spi.ClientAuthenticator;
import dev.dbbat.core.spi.SessionInterceptor;
import dev.dbbat.core.spi.SessionInterceptors;
import dev.dbbat.core.spi.TargetResolver;
import dev.dbbat.protocol.pg.PgProxyConfig;
import java.util.List;
import java.util.Objects;

/**
 * Everything a listener's sessions share: configuration, the SPI implementations, the cancel registry and the SQL
 * policy, the pool of reusable upstream connections. Thread-safe.
 */
public final class SessionContext {
    final PgProxyConfig config;
    final ClientAuthenticator authenticator;
    final TargetResolver resolver;
    final SessionInterceptor interceptor;
    final CancelRegistry cancels;
    final StatementGuard guard;
    /** Null when upstream reuse is off. */
    final UpstreamPool pool;

    SessionContext(PgProxyConfig config, ClientAuthenticator authenticator, TargetResolver resolver,
            SessionInterceptor interceptor, CancelRegistry cancels, StatementGuard guard) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
        this.cancels = Objects.requireNonNull(cancels, "cancels");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.pool = config.upstreamReuse().enabled() ? new UpstreamPool(config.upstreamReuse()) : null;
    }

    /** A context with a fresh cancel registry and the standard SQL policy. */
    public static SessionContext create(PgProxyConfig config, ClientAuthenticator authenticator,
            TargetResolver resolver, SessionInterceptor interceptor) {
        // guarded: an interceptor that throws denies (onConnect/onQuery/onBytes) or is logged (observation hooks)
        SessionInterceptor guarded = SessionInterceptors.chain(List.of(interceptor));
        UpstreamTls.load(); // the TLS engine (a native library) and contexts load here, not on an event loop
        return new SessionContext(config, authenticator, resolver, guarded, new CancelRegistry(),
                StatementGuards.standard());
    }

    public PgProxyConfig config() {
        return config;
    }

    /** Closes the kept upstream connections; sessions that end later close theirs. Any thread, idempotent. */
    public void closeUpstreams() {
        if (pool != null) {
            pool.close();
        }
    }
}
