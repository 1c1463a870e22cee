package dev.dbbat.api.handler;

import dev.dbbat.api.ApiException;
import dev.dbbat.api.Json;
import dev.dbbat.api.SlackAuth;
import dev.dbbat.api.dto.Requests;
import dev.dbbat.api.dto.Views;
import dev.dbbat.api.oauth.OAuthFailure;
import dev.dbbat.api.oauth.OAuthUserResolver;
import dev.dbbat.api.oauth.SlackOpenIdClient;
import dev.dbbat.api.oauth.SlackProfile;
import dev.dbbat.store.OAuthState;
import dev.dbbat.store.OAuthStateRepository;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuditSink;
import dev.dbbat.store.auth.Credentials;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack sign-in: {@code GET /auth/slack} (redirect to Slack with a one-time state), {@code GET /auth/slack/callback}
 * (state check, code exchange, user resolution, redirect to the UI with a one-time exchange code) and
 * {@code POST /auth/oauth/exchange} (exchange code → web session). The session token never travels in a URL.
 *
 * <p>States and exchange codes live in {@code oauth_states} and are consumed by a hard delete, so each works once.
 * Exchange codes are stored as their SHA-256 only. Thread-safe.
 */
public final class OAuthHandler {
    public static final Duration STATE_TTL = Duration.ofMinutes(10);
    public static final Duration EXCHANGE_CODE_TTL = Duration.ofSeconds(60);
    static final String EXCHANGE_PROVIDER = "oauth_exchange";
    static final String CALLBACK_PATH = "/api/v1/auth/slack/callback";
    private static final Logger LOG = LoggerFactory.getLogger(OAuthHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    private final SlackAuth slack;
    private final SlackOpenIdClient client;
    private final OAuthUserResolver resolver;
    private final OAuthStateRepository states;
    private final Credentials credentials;
    private final UserRepository users;
    private final AuditSink audit;
    private final String loginPage;
    private final Clock clock;

    public OAuthHandler(SlackAuth slack, SlackOpenIdClient client, OAuthUserResolver resolver,
            OAuthStateRepository states, Credentials credentials, UserRepository users, AuditSink audit,
            String baseUrl, Clock clock) {
        this.slack = slack;
        this.client = client;
        this.resolver = resolver;
        this.states = states;
        this.credentials = credentials;
        this.users = users;
        this.audit = audit;
        this.loginPage = baseUrl + "/login";
        this.clock = clock;
    }

    /** {@code GET /auth/slack}: stores a fresh state and redirects the browser to Slack. */
    public void slackStart(Context ctx) {
        String redirectUri = callbackUrl(ctx);
        String state = HexFormat.of().formatHex(randomBytes(32));
        states.insert(state, OAuthUserResolver.PROVIDER, Optional.of(redirectUri), Map.of(),
                clock.instant().plus(STATE_TTL));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", slack.clientId());
        query.put("scope", "openid email profile");
        query.put("redirect_uri", redirectUri);
        query.put("state", state);
        slack.teamId().ifPresent(team -> query.put("team", team));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(slack.authorizeUrl() + (slack.authorizeUrl().getRawQuery() == null ? "?" : "&")
                + encode(query), HttpStatus.FOUND);
    }

    /** {@code GET /auth/slack/callback}: always answers 302 to the UI's login page, with a code or an error. */
    public void slackCallback(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String state = ctx.queryParam("state");
        Optional<OAuthState> consumed = state == null || state.isEmpty() ? Optional.empty()
                : states.consume(state, OAuthUserResolver.PROVIDER, clock.instant());
        if (ctx.queryParam("error") != null) {
            LOG.info("slack sign-in refused by the provider");
            fail(ctx, "OAUTH_PROVIDER_ERROR");
            return;
        }
        if (consumed.isEmpty()) {
            fail(ctx, "OAUTH_STATE_MISMATCH");
            return;
        }
        String code = ctx.queryParam("code");
        SlackProfile profile;
        try {
            if (code == null || code.isEmpty()) {
                throw new OAuthFailure("callback without a code");
            }
            String redirectUri = consumed.get().redirectUrl().orElseGet(() -> callbackUrl(ctx));
            profile = client.userInfo(client.exchangeCode(code, redirectUri));
            checkTeam(profile);
        } catch (OAuthFailure failure) {
            LOG.warn("slack sign-in failed: {}", failure.getMessage());
            fail(ctx, "OAUTH_FAILED");
            return;
        }
        Optional<User> user;
        try {
            user = resolver.resolve(profile);
        } catch (RuntimeException ex) {
            LOG.error("slack sign-in: resolving user {} failed: {}", profile.subject(), ex.getClass().getSimpleName());
            fail(ctx, "OAUTH_FAILED");
            return;
        }
        if (user.isEmpty()) {
            LOG.info("slack user {} is not linked to a DBBat user", profile.subject());
            fail(ctx, "OAUTH_USER_NOT_LINKED");
            return;
        }
        String exchangeCode = HexFormat.of().formatHex(randomBytes(32));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("user_uid", user.get().uid().toString());
        metadata.put("provider", OAuthUserResolver.PROVIDER);
        states.insert(sha256(exchangeCode), EXCHANGE_PROVIDER, Optional.empty(), metadata,
                clock.instant().plus(EXCHANGE_CODE_TTL));
        ctx.redirect(loginPage + "?code=" + exchangeCode, HttpStatus.FOUND);
    }

    /** {@code POST /auth/oauth/exchange}: a one-time exchange code → a web session (the login response). */
    public void exchange(Context ctx) {
        Requests.OAuthExchange body = Json.body(ctx, Requests.OAuthExchange.class);
        Params.required(body.code(), "invalid request: code required");
        Optional<OAuthState> consumed = states.consume(sha256(body.code()), EXCHANGE_PROVIDER, clock.instant());
        Optional<User> user = consumed.map(row -> row.metadata().get("user_uid"))
                .map(uid -> UUID.fromString(uid.toString()))
                .flatMap(users::findById);
        if (user.isEmpty()) {
            throw ApiException.unauthorized("invalid or expired code");
        }
        String provider = String.valueOf(consumed.get().metadata().getOrDefault("provider", "oauth"));
        Credentials.Issued session = credentials.issueWebSession(user.get(), AuthHandler.SESSION_TTL);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", provider);
        details.put("username", user.get().username());
        audit.record("auth.oauth_login", user.get().uid(), user.get().uid(), details);
        ctx.header("Cache-Control", "no-store");
        ctx.json(new Views.LoginView(session.plaintext(), session.key().expiresAt().truncatedTo(ChronoUnit.SECONDS),
                new Views.LoginUser(user.get().uid(), user.get().username(), user.get().roles(),
                        user.get().passwordChangedAt() == null)));
    }

    private void checkTeam(SlackProfile profile) throws OAuthFailure {
        if (slack.teamId().isPresent() && !slack.teamId().equals(profile.teamId())) {
            throw new OAuthFailure("user " + profile.subject() + " is not a member of the configured workspace");
        }
    }

    private void fail(Context ctx, String code) {
        ctx.redirect(loginPage + "?error=" + code, HttpStatus.FOUND);
    }

    /** {@code <scheme>://<host>/api/v1/auth/slack/callback}, honouring X-Forwarded-Proto and X-Forwarded-Host. */
    static String callbackUrl(Context ctx) {
        String scheme = firstValue(ctx.header("X-Forwarded-Proto")).orElse(ctx.scheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.validation("invalid X-Forwarded-Proto");
        }
        String host = firstValue(ctx.header("X-Forwarded-Host")).orElse(ctx.host());
        if (host == null || !HOST.matcher(host).matches()) {
            throw ApiException.validation("invalid Host header");
        }
        return scheme + "://" + host + CALLBACK_PATH;
    }

    private static Optional<String> firstValue(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String first = header.split(",", 2)[0].trim();
        return first.isEmpty() ? Optional.empty() : Optional.of(first);
    }

    private static String encode(Map<String, String> query) {
        StringBuilder result = new StringBuilder();
        query.forEach((key, value) -> {
            if (result.length() > 0) {
                result.append('&');
            }
            result.append(key).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        });
        return result.toString();
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
