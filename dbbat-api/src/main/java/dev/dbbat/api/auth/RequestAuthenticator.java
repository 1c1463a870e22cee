package dev.dbbat.api.auth;

import dev.dbbat.api.ApiException;
import dev.dbbat.store.ApiKey;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.User;
import dev.dbbat.store.auth.Credentials;
import dev.dbbat.store.auth.LoginBackoff;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request: {@code Authorization: Bearer dbb_…|web_…} (API key or web session) or HTTP Basic (with
 * the login backoff). Blocking; runs on request threads. Thread-safe.
 */
public final class RequestAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(RequestAuthenticator.class);
    public static final String WWW_AUTHENTICATE = "Basic realm=\"DBBat\"";

    private final Credentials credentials;
    private final ApiKeyRepository keys;
    private final LoginBackoff backoff;
    private final Executor background;

    public RequestAuthenticator(Credentials credentials, ApiKeyRepository keys, LoginBackoff backoff,
            Executor background) {
        this.credentials = credentials;
        this.keys = keys;
        this.backoff = backoff;
        this.background = background;
    }

    public Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(header.substring(7).trim().toCharArray());
        }
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(ctx, header.substring(6).trim());
        }
        ctx.header("WWW-Authenticate", WWW_AUTHENTICATE);
        throw ApiException.unauthorized("authentication required");
    }

    private Principal bearer(char[] token) {
        try {
            ApiKey key = credentials.checkToken(token)
                    .orElseThrow(() -> ApiException.unauthorized("invalid API key"));
            User owner = credentials.ownerOf(key).orElseThrow(() -> ApiException.unauthorized("user not found"));
            touchLater(key);
            return new Principal(owner, key.isWebSession() ? Principal.Method.WEB_SESSION : Principal.Method.API_KEY,
                    Optional.of(key));
        } finally {
            Arrays.fill(token, '\0');
        }
    }

    private Principal basic(Context ctx, String encoded) {
        char[] password = null;
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalidCredentials(ctx);
            }
            String username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1).toCharArray();
            checkBackoff(backoff, username);
            Optional<User> user = credentials.checkPassword(username, password, true);
            if (user.isEmpty()) {
                backoff.recordFailure(username);
                throw invalidCredentials(ctx);
            }
            backoff.recordSuccess(username);
            return new Principal(user.get(), Principal.Method.BASIC, Optional.empty());
        } catch (IllegalArgumentException ex) {
            throw invalidCredentials(ctx);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Throws 429 when {@code key} is in login backoff. */
    public static void checkBackoff(LoginBackoff backoff, String key) {
        Duration blocked = backoff.blockedFor(key);
        if (!blocked.isZero()) {
            throw ApiException.rateLimited((blocked.toMillis() + 999) / 1000);
        }
    }

    private static ApiException invalidCredentials(Context ctx) {
        ctx.header("WWW-Authenticate", WWW_AUTHENTICATE);
        return new ApiException(401, "INVALID_CREDENTIALS", "invalid credentials");
    }

    private void touchLater(ApiKey key) {
        try {
            background.execute(() -> {
                try {
                    keys.touch(key.id());
                } catch (RuntimeException ex) {
                    LOG.warn("cannot record use of key {}: {}", key.keyPrefix().substring(0, 4), ex.toString());
                }
            });
        } catch (RejectedExecutionException ex) {
            LOG.debug("key usage update dropped (queue full)");
        }
    }
}
