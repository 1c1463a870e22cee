package dev.dbbat.store.auth;

import dev.dbbat.core.auth.Scram;
import dev.dbbat.core.auth.ScramCredentials;
import dev.dbbat.store.ApiKey;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.NewApiKey;
import dev.dbbat.store.NewUser;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.crypto.CredentialCipher;
import dev.dbbat.store.hash.PasswordHasher;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Password and token verification, and the creation of every stored secret (user passwords with their SCRAM
 * verifier, API keys, web sessions), shared by the REST API and the proxies' authenticator.
 *
 * <p>Methods block: call them from a request thread or an executor, never from an event loop. Argon2 itself runs on
 * the {@link PasswordHasher}'s bounded executor. Every {@code char[]} argument is left untouched: callers wipe their
 * own. Thread-safe.
 */
public final class Credentials {
    private static final int SALT_LENGTH = 16;
    private static final int MAX_PREFIX_RETRIES = 5;
    private static final int O5LOGON_SALT_LENGTH = 10;
    private static final int O5LOGON_VERIFIER_LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserRepository users;
    private final ApiKeyRepository keys;
    private final PasswordHasher hasher;
    private final AuthCache cache;
    private final Clock clock;
    private final Optional<CredentialCipher> cipher;
    private volatile String dummyHash;

    /** A successfully verified bearer token and its (live) owner. */
    public record TokenMatch(ApiKey key, User owner) {}

    /** A key or session just created; {@code plaintext} is shown once and never stored. */
    public record Issued(ApiKey key, String plaintext) {
        @Override
        public String toString() {
            return "Issued[" + key + "]";
        }
    }

    /**
     * Credentials that verify and issue secrets but store no O5LOGON verifier with new API keys (such keys cannot log
     * in to the Oracle proxy). Prefer the constructor taking a {@link CredentialCipher}.
     */
    public Credentials(UserRepository users, ApiKeyRepository keys, PasswordHasher hasher, AuthCache cache,
            Clock clock) {
        this(users, keys, hasher, cache, Optional.empty(), clock);
    }

    /**
     * @param cipher encrypts the O5LOGON verifier stored with each API key (so Oracle clients can log in with it)
     */
    public Credentials(UserRepository users, ApiKeyRepository keys, PasswordHasher hasher, AuthCache cache,
            CredentialCipher cipher, Clock clock) {
        this(users, keys, hasher, cache, Optional.of(cipher), clock);
    }

    private Credentials(UserRepository users, ApiKeyRepository keys, PasswordHasher hasher, AuthCache cache,
            Optional<CredentialCipher> cipher, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    public AuthCache cache() {
        return cache;
    }

    /**
     * Verifies a user's password. An unknown user costs one Argon2 verification too.
     *
     * @param useCache whether a cached outcome may answer (false for login and password changes)
     */
    public Optional<User> checkPassword(String username, char[] password, boolean useCache) {
        Optional<User> user = users.findByUsername(username);
        if (user.isEmpty()) {
            argon2(dummyHash(), password);
            return Optional.empty();
        }
        return passwordMatches(user.get(), password, useCache) ? user : Optional.empty();
    }

    /** Whether {@code password} is {@code user}'s password. */
    public boolean passwordMatches(User user, char[] password, boolean useCache) {
        String key = AuthCache.passwordKey(user.uid(), password, user.passwordHash());
        if (useCache) {
            Optional<Boolean> cached = cache.get(key);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        boolean valid = argon2(user.passwordHash(), password);
        cache.put(key, valid);
        return valid;
    }

    /**
     * Verifies a bearer token ({@code dbb_…} or {@code web_…}): known prefix, matching hash, not revoked, not
     * expired. The owner is looked up separately by the caller ({@link #ownerOf}).
     */
    public Optional<ApiKey> checkToken(char[] token) {
        if (token.length < 8) {
            return Optional.empty();
        }
        Optional<ApiKey> row = keys.findByPrefix(Tokens.lookupPrefix(java.nio.CharBuffer.wrap(token)));
        if (row.isEmpty()) {
            argon2(dummyHash(), token);
            return Optional.empty();
        }
        ApiKey key = row.get();
        String cacheKey = AuthCache.tokenKey(token, key.keyHash());
        boolean valid = cache.get(cacheKey).orElseGet(() -> {
            boolean result = argon2(key.keyHash(), token);
            cache.put(cacheKey, result);
            return result;
        });
        return valid && key.validAt(clock.instant()) ? Optional.of(key) : Optional.empty();
    }

    /** The live owner of a key; empty when the user was deleted. */
    public Optional<User> ownerOf(ApiKey key) {
        return users.findById(key.userId());
    }

    /** Hashes a new user's password and computes its SCRAM verifier under a fresh salt. */
    public NewUser newUser(String username, char[] password, List<String> roles, boolean passwordChanged) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        ScramCredentials.Verifier verifier = Scram.verifier("password", password, salt, Scram.DEFAULT_ITERATIONS);
        return new NewUser(username, hash(password), salt, Scram.DEFAULT_ITERATIONS, verifier.storedKey(),
                verifier.serverKey(), roles, passwordChanged);
    }

    /** Creates a user (see {@link #newUser}). */
    public User createUser(String username, char[] password, List<String> roles, boolean passwordChanged) {
        return users.create(newUser(username, password, roles, passwordChanged));
    }

    /** Replaces a user's password (Argon2 hash and SCRAM verifier with the user's unchanged salt). */
    public boolean setPassword(User user, char[] password, boolean markChanged) {
        ScramCredentials.Verifier verifier =
                Scram.verifier("password", password, user.scramSalt(), user.scramIterations());
        String encoded = hash(password);
        return users.setPassword(user.uid(), encoded, verifier.storedKey(), verifier.serverKey(), markChanged);
    }

    /** Creates a random {@code dbb_} API key for {@code owner}, with its SCRAM verifier under the owner's salt. */
    public Issued issueApiKey(User owner, String name, Instant expiresAt) {
        return issue(() -> Tokens.newApiKey(), owner, name, ApiKey.TYPE_API, expiresAt);
    }

    /** Creates an API key with a caller-chosen value (test run mode only; at least 8 characters). */
    public Issued issueApiKeyWithValue(User owner, String name, String plaintext) {
        if (plaintext.length() < 8) {
            throw new IllegalArgumentException("API key too short: " + plaintext.length() + " (expected: >= 8)");
        }
        return issue(() -> plaintext, owner, name, ApiKey.TYPE_API, null);
    }

    /** Creates a {@code web_} session for {@code owner} that lives {@code ttl}. */
    public Issued issueWebSession(User owner, Duration ttl) {
        return issue(Tokens::newWebSession, owner, "Web Session", ApiKey.TYPE_WEB, clock.instant().plus(ttl));
    }

    private Issued issue(java.util.function.Supplier<String> generator, User owner, String name, String type,
            Instant expiresAt) {
        for (int attempt = 1; ; attempt++) {
            String plaintext = generator.get();
            char[] chars = plaintext.toCharArray();
            try {
                byte[] stored = null;
                byte[] server = null;
                byte[] o5logonSalt = null;
                byte[] o5logonVerifier = null;
                String prefix = Tokens.lookupPrefix(plaintext);
                if (ApiKey.TYPE_API.equals(type)) {
                    ScramCredentials.Verifier verifier =
                            Scram.verifier("apikey", chars, owner.scramSalt(), owner.scramIterations());
                    stored = verifier.storedKey();
                    server = verifier.serverKey();
                }
                if (ApiKey.TYPE_API.equals(type) && cipher.isPresent()) {
                    o5logonSalt = new byte[O5LOGON_SALT_LENGTH];
                    RANDOM.nextBytes(o5logonSalt);
                    byte[] verifierKey = o5logonVerifierKey(plaintext, o5logonSalt);
                    o5logonVerifier = cipher.get().encryptBytes(verifierKey, CredentialCipher.apiKeyAad(prefix));
                    Arrays.fill(verifierKey, (byte) 0);
                }
                NewApiKey row = new NewApiKey(owner.uid(), name, hash(chars), prefix, type, stored, server,
                        expiresAt, o5logonSalt, o5logonVerifier);
                return new Issued(keys.insert(row), plaintext);
            } catch (UnableToExecuteStatementException ex) {
                if (!isUniqueViolation(ex) || attempt >= MAX_PREFIX_RETRIES) {
                    throw ex;
                }
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
    }

    /**
     * The Oracle 11g (type 6949) O5LOGON verifier key of a secret: SHA-1(secret || salt), zero-padded to 24 bytes.
     */
    public static byte[] o5logonVerifierKey(String secret, byte[] salt) {
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            sha1.update(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha1.update(salt);
            return Arrays.copyOf(sha1.digest(), O5LOGON_VERIFIER_LENGTH);
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean isUniqueViolation(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private String hash(char[] secret) {
        return hasher.hash(secret.clone()).join();
    }

    private boolean argon2(String encoded, char[] secret) {
        return hasher.verify(encoded, secret.clone()).join();
    }

    private String dummyHash() {
        String result = dummyHash;
        if (result == null) {
            char[] random = Tokens.newApiKey().toCharArray();
            result = hash(random);
            dummyHash = result;
        }
        return result;
    }
}
