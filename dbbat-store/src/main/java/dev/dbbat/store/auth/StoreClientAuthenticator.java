package dev.dbbat.store.auth;

import dev.dbbat.core.auth.Scram;
import dev.dbbat.core.auth.ScramCredentials;
import dev.dbbat.core.event.AuthResult;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.LoginAttempt;
import dev.dbbat.core.spi.ClientAuthenticator;
import dev.dbbat.store.ApiKey;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.LoginUser;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxies' {@link ClientAuthenticator} backed by the store: a password (Argon2id through the shared
 * {@link AuthCache}) or one of the user's API keys ({@code dbb_…}, which must belong to the user named in the
 * handshake); web session tokens are refused. SCRAM material comes from the user's verifier and the verifiers of the
 * user's valid API keys, all under the user's single salt; unknown users get a stable fake salt and no verifiers.
 *
 * <p>Every failure counts toward the shared {@link LoginBackoff} and is audited as {@code proxy.login_failed} (user
 * name tried, source address, protocol, reason); a user name in backoff is refused with its remaining delay. Store
 * look-ups run on the executor given at construction (bounded, never an event loop); Argon2 on the hasher's. Every
 * method returns at once. Thread-safe.
 */
public final class StoreClientAuthenticator implements ClientAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(StoreClientAuthenticator.class);
    private static final String PASSWORD_ID = "password";
    private static final String API_KEY_ID_PREFIX = "apikey:";
    private static final int FAKE_SALT_LENGTH = 16;

    private final Credentials credentials;
    private final UserRepository users;
    private final ApiKeyRepository keys;
    private final LoginBackoff backoff;
    private final AuditSink audit;
    private final byte[] fakeSaltSecret;
    private final Executor executor;
    private final LoginCache cache;

    /** Without a login cache: every SCRAM login reads the store twice. */
    public StoreClientAuthenticator(Credentials credentials, UserRepository users, ApiKeyRepository keys,
            LoginBackoff backoff, AuditSink audit, byte[] fakeSaltSecret, Executor executor) {
        this(credentials, users, keys, backoff, audit, fakeSaltSecret, executor, LoginCache.disabled());
    }

    /**
     * @param credentials verification of passwords and keys (with the shared auth cache)
     * @param backoff the login backoff shared with the API
     * @param audit where failures are recorded
     * @param fakeSaltSecret a server secret (e.g. derived from the master key) keying the fake salts of unknown users
     * @param executor a bounded executor for store look-ups
     * @param cache recent SCRAM look-ups: a user still fresh in it is not read again, neither for the SCRAM
     *     material nor when the proof has matched (both then complete at once, on the caller's thread)
     */
    public StoreClientAuthenticator(Credentials credentials, UserRepository users, ApiKeyRepository keys,
            LoginBackoff backoff, AuditSink audit, byte[] fakeSaltSecret, Executor executor, LoginCache cache) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.users = Objects.requireNonNull(users, "users");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.fakeSaltSecret = fakeSaltSecret.clone();
        this.executor = Objects.requireNonNull(executor, "executor");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public CompletionStage<AuthResult> authenticate(LoginAttempt attempt, char[] secret) {
        char[] copy = secret.clone();
        Arrays.fill(secret, '\0');
        return async(attempt, () -> {
            try {
                return verify(attempt, copy);
            } finally {
                Arrays.fill(copy, '\0');
            }
        });
    }

    private AuthResult verify(LoginAttempt attempt, char[] secret) {
        Optional<AuthResult> blocked = blocked(attempt);
        if (blocked.isPresent()) {
            return blocked.get();
        }
        if (Tokens.looksLikeWebSession(secret)) {
            return failure(attempt, "web session tokens are not accepted by the proxies");
        }
        if (Tokens.looksLikeApiKey(secret)) {
            Optional<ApiKey> key = credentials.checkToken(secret);
            if (key.isEmpty()) {
                return failure(attempt, "invalid API key");
            }
            Optional<User> owner = credentials.ownerOf(key.get());
            if (owner.isEmpty() || !owner.get().username().equals(attempt.username())) {
                return failure(attempt, "API key does not belong to the user");
            }
            return success(attempt, owner.get(), key.get());
        }
        Optional<User> user = credentials.checkPassword(attempt.username(), secret, true);
        return user.map(found -> success(attempt, found, null))
                .orElseGet(() -> failure(attempt, "invalid user name or password"));
    }

    @Override
    public CompletionStage<ScramCredentials> scramCredentials(LoginAttempt attempt) {
        Optional<LoginUser> cached = cache.user(attempt.username());
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(scramCredentialsOf(cached.get()));
        }
        return CompletableFuture.supplyAsync(() -> {
            long generation = cache.generation();
            Optional<LoginUser> user = users.findForLogin(attempt.username());
            if (user.isEmpty()) {
                return new ScramCredentials(true, fakeSalt(attempt.username()), Scram.DEFAULT_ITERATIONS, List.of());
            }
            cache.putUser(attempt.username(), user.get(), generation);
            return scramCredentialsOf(user.get());
        }, executor).exceptionally(ex -> {
            LOG.error("SCRAM credential look-up failed for a {} login: {}", attempt.protocol().id(),
                    ex.getClass().getSimpleName());
            return new ScramCredentials(true, fakeSalt(attempt.username()), Scram.DEFAULT_ITERATIONS, List.of());
        });
    }

    /** The SCRAM material of a user: its password's verifier and one per valid API key that has one. */
    private static ScramCredentials scramCredentialsOf(LoginUser user) {
        User found = user.user();
        Instant now = Instant.now();
        List<ScramCredentials.Verifier> verifiers = new ArrayList<>();
        verifiers.add(new ScramCredentials.Verifier(PASSWORD_ID, found.scramStoredKey(), found.scramServerKey()));
        for (ApiKey key : user.validApiKeys()) {
            if (key.scramStoredKey() != null && key.scramServerKey() != null && key.validAt(now)) {
                verifiers.add(new ScramCredentials.Verifier(API_KEY_ID_PREFIX + key.id(), key.scramStoredKey(),
                        key.scramServerKey()));
            }
        }
        return new ScramCredentials(true, found.scramSalt(), found.scramIterations(), verifiers);
    }

    @Override
    public CompletionStage<AuthResult> scramCompleted(LoginAttempt attempt, Optional<String> matchedCredentialId) {
        Optional<AuthResult> quick = matchedCredentialId.isEmpty() ? Optional.empty()
                : cache.user(attempt.username()).flatMap(user -> completedFromCache(attempt, user,
                        matchedCredentialId.get()));
        if (quick.isPresent()) {
            return CompletableFuture.completedFuture(quick.get());
        }
        return async(attempt, () -> {
            Optional<AuthResult> blocked = blocked(attempt);
            if (blocked.isPresent()) {
                return blocked.get();
            }
            if (matchedCredentialId.isEmpty()) {
                return failure(attempt, "SCRAM proof did not match");
            }
            Optional<User> user = users.findByUsername(attempt.username());
            if (user.isEmpty()) {
                return failure(attempt, "unknown user");
            }
            String id = matchedCredentialId.get();
            if (PASSWORD_ID.equals(id)) {
                return success(attempt, user.get(), null);
            }
            if (id.startsWith(API_KEY_ID_PREFIX)) {
                Optional<ApiKey> key = parseUuid(id.substring(API_KEY_ID_PREFIX.length())).flatMap(keys::findById);
                if (key.isPresent() && key.get().userId().equals(user.get().uid())
                        && key.get().validAt(java.time.Instant.now()) && !key.get().isWebSession()) {
                    return success(attempt, user.get(), key.get());
                }
            }
            return failure(attempt, "SCRAM credential no longer valid");
        });
    }

    /**
     * A matched proof for a user still fresh in the cache: success without reading the store again. Empty (the caller
     * then takes the store path) when the name is in backoff (refusals are audited, off this thread) or the matched
     * credential is no longer among the user's valid ones.
     */
    private Optional<AuthResult> completedFromCache(LoginAttempt attempt, LoginUser user, String credentialId) {
        if (!backoff.blockedFor(attempt.username()).isZero()) {
            return Optional.empty();
        }
        if (PASSWORD_ID.equals(credentialId)) {
            return Optional.of(success(attempt, user.user(), null));
        }
        if (credentialId.startsWith(API_KEY_ID_PREFIX)) {
            Optional<UUID> id = parseUuid(credentialId.substring(API_KEY_ID_PREFIX.length()));
            Instant now = Instant.now();
            for (ApiKey key : user.validApiKeys()) {
                if (id.isPresent() && key.id().equals(id.get()) && key.userId().equals(user.user().uid())
                        && key.validAt(now) && !key.isWebSession()) {
                    return Optional.of(success(attempt, user.user(), key));
                }
            }
        }
        return Optional.empty();
    }

    private CompletionStage<AuthResult> async(LoginAttempt attempt, Supplier<AuthResult> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor).exceptionally(ex -> {
                LOG.error("{} login verification failed: {}", attempt.protocol().id(), ex.getClass().getSimpleName());
                return AuthResult.Rejected.because("internal error");
            });
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            return CompletableFuture.completedFuture(AuthResult.Rejected.because("authentication queue full"));
        }
    }

    private Optional<AuthResult> blocked(LoginAttempt attempt) {
        Duration wait = backoff.blockedFor(attempt.username());
        if (wait.isZero()) {
            return Optional.empty();
        }
        record(attempt, "login backoff");
        return Optional.of(new AuthResult.Rejected("login backoff", wait));
    }

    private AuthResult success(LoginAttempt attempt, User user, ApiKey key) {
        backoff.recordSuccess(attempt.username());
        if (key != null) {
            try {
                executor.execute(() -> touch(key));
            } catch (java.util.concurrent.RejectedExecutionException ex) {
                LOG.debug("look-up queue full: the use of an API key is not recorded");
            }
        }
        Identity identity = new Identity(user.uid(), user.username(), java.util.Set.copyOf(user.roles()),
                key == null ? Identity.AuthMethod.PASSWORD : Identity.AuthMethod.API_KEY,
                key == null ? Optional.empty() : Optional.of(key.id()));
        return new AuthResult.Authenticated(identity);
    }

    private void touch(ApiKey key) {
        try {
            keys.touch(key.id());
        } catch (RuntimeException ex) {
            LOG.warn("cannot record use of an API key: {}", ex.getClass().getSimpleName());
        }
    }

    private AuthResult failure(LoginAttempt attempt, String reason) {
        backoff.recordFailure(attempt.username());
        record(attempt, reason);
        LOG.debug("{} login refused for user name '{}' from {}: {}", attempt.protocol().id(), attempt.username(),
                attempt.remote().getAddress(), reason);
        return new AuthResult.Rejected(reason, Duration.ZERO);
    }

    private void record(LoginAttempt attempt, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("username", attempt.username());
        details.put("database", attempt.databaseName());
        details.put("source_address", attempt.remote().getAddress() == null ? attempt.remote().getHostString()
                : attempt.remote().getAddress().getHostAddress());
        details.put("protocol", attempt.protocol().id());
        details.put("reason", reason);
        UUID userId = users.findByUsername(attempt.username()).map(User::uid).orElse(null);
        audit.record("proxy.login_failed", userId, null, details);
    }

    /** A stable salt for an unknown user name: HMAC-SHA-256(server secret, name), truncated. */
    byte[] fakeSalt(String username) {
        return Arrays.copyOf(Scram.hmac(fakeSaltSecret, username.getBytes(StandardCharsets.UTF_8)), FAKE_SALT_LENGTH);
    }

    private static Optional<UUID> parseUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

}
