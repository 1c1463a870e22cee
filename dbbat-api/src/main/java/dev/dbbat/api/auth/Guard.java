package dev.dbbat.api.auth;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.ApiException;
import dev.dbbat.api.handler.SecuredHandler;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.Objects;

/**
 * Wraps route handlers: authentication, then the per-user sliding-window rate limit (with {@code X-RateLimit-*}
 * headers), then the access rule. Unauthenticated auth routes get a per-IP limit instead. Thread-safe.
 */
public final class Guard {
    private final RequestAuthenticator authenticator;
    private final ApiConfig config;
    private final SlidingWindowLimiter perUser;
    private final SlidingWindowLimiter perIp;

    public Guard(RequestAuthenticator authenticator, ApiConfig config, Clock clock) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.config = config;
        this.perUser = new SlidingWindowLimiter(Math.max(1, config.requestsPerMinute() + config.burst()), clock);
        this.perIp = new SlidingWindowLimiter(Math.max(1, config.anonymousRequestsPerMinute() + config.burst()),
                clock);
    }

    /** A route for authenticated callers holding {@code access}. */
    public Handler secured(Access access, SecuredHandler handler) {
        return ctx -> {
            Principal principal = authenticator.authenticate(ctx);
            if (config.rateLimitEnabled() && !principal.user().rateLimitExempt()) {
                limit(ctx, perUser, "user:" + principal.user().uid(), config.requestsPerMinute());
            }
            access.check(principal);
            handler.handle(ctx, principal);
        };
    }

    /** An unauthenticated auth route (login, password changes): limited per client IP. */
    public Handler anonymous(Handler handler) {
        return ctx -> {
            if (config.rateLimitEnabled()) {
                limit(ctx, perIp, "ip:" + ctx.ip(), config.anonymousRequestsPerMinute());
            }
            handler.handle(ctx);
        };
    }

    private static void limit(Context ctx, SlidingWindowLimiter limiter, String key, int advertised) {
        SlidingWindowLimiter.Outcome outcome = limiter.acquire(key);
        ctx.header("X-RateLimit-Limit", Integer.toString(advertised));
        ctx.header("X-RateLimit-Remaining", Integer.toString(outcome.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(outcome.resetEpochSeconds()));
        if (!outcome.allowed()) {
            throw ApiException.rateLimited(outcome.retryAfterSeconds());
        }
    }
}
