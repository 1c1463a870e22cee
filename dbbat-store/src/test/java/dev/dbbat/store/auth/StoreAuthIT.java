package dev.dbbat.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.auth.Scram;
import dev.dbbat.core.auth.ScramCredentials;
import dev.dbbat.core.event.AuthResult;
import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.LoginAttempt;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.Resolution;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.AuditRepository;
import dev.dbbat.store.Database;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.LoginUser;
import dev.dbbat.store.NewGrant;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.crypto.CredentialCipher;
import dev.dbbat.store.crypto.MasterKey;
import dev.dbbat.store.hash.HashParameters;
import dev.dbbat.store.hash.PasswordHasher;
import dev.dbbat.store.testing.StoreFixture;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StoreClientAuthenticator} and {@link StoreTargetResolver} against a real store. */
class StoreAuthIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    static PasswordHasher hasher;
    static ExecutorService executor;
    static CredentialCipher cipher;
    static Credentials credentials;
    static UserRepository users;
    static ApiKeyRepository keys;
    static DatabaseRepository databases;
    static GrantRepository grants;
    static LoginBackoff backoff;
    static StoreClientAuthenticator authenticator;
    static StoreTargetResolver resolver;
    static User alice;
    static User bob;

    @BeforeAll
    static void setUp() {
        hasher = new PasswordHasher(HashParameters.MINIMAL, 2, 64);
        cipher = new CredentialCipher(MasterKey.of(new byte[32]));
        executor = Executors.newFixedThreadPool(2);
        users = new UserRepository(STORE.store().jdbi());
        keys = new ApiKeyRepository(STORE.store().jdbi());
        databases = new DatabaseRepository(STORE.store().jdbi());
        grants = new GrantRepository(STORE.store().jdbi());
        credentials = new Credentials(users, keys, hasher,
                new AuthCache(true, Duration.ofMinutes(5), 100, Clock.systemUTC()), cipher, Clock.systemUTC());
        backoff = new LoginBackoff(true, Clock.systemUTC());
        authenticator = new StoreClientAuthenticator(credentials, users, keys, backoff,
                new StoreAuditSink(new AuditRepository(STORE.store().jdbi())), "server-secret".getBytes(), executor);
        resolver = new StoreTargetResolver(databases, grants, cipher, executor);
        alice = credentials.createUser("alice", "alice-password".toCharArray(), List.of("connector"), true);
        bob = credentials.createUser("bob", "bob-password".toCharArray(), List.of("viewer"), false);
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
        hasher.close();
    }

    private static LoginAttempt attempt(String user) {
        return new LoginAttempt(Protocol.POSTGRESQL, user, "app", new InetSocketAddress("127.0.0.1", 40000),
                Map.of());
    }

    private static AuthResult auth(String user, String secret) {
        return authenticator.authenticate(attempt(user), secret.toCharArray()).toCompletableFuture().join();
    }

    @Test
    void acceptsThePasswordAndWipesTheCallersArray() {
        char[] secret = "alice-password".toCharArray();
        AuthResult result = authenticator.authenticate(attempt("alice"), secret).toCompletableFuture().join();
        assertThat(result).isInstanceOf(AuthResult.Authenticated.class);
        Identity identity = ((AuthResult.Authenticated) result).identity();
        assertThat(identity.userId()).isEqualTo(alice.uid());
        assertThat(identity.method()).isEqualTo(Identity.AuthMethod.PASSWORD);
        assertThat(new String(secret)).doesNotContain("alice");
    }

    @Test
    void acceptsTheUsersOwnApiKeyOnly() {
        String key = credentials.issueApiKey(alice, "proxy", null).plaintext();
        AuthResult ok = auth("alice", key);
        assertThat(ok).isInstanceOf(AuthResult.Authenticated.class);
        assertThat(((AuthResult.Authenticated) ok).identity().method()).isEqualTo(Identity.AuthMethod.API_KEY);
        assertThat(auth("bob", key)).isInstanceOf(AuthResult.Rejected.class);
        String session = credentials.issueWebSession(alice, Duration.ofHours(1)).plaintext();
        AuthResult web = auth("alice", session);
        assertThat(((AuthResult.Rejected) web).reason()).contains("web session");
    }

    @Test
    void recordsFailuresInBackoffAndAudit() {
        credentials.createUser("carol", "carol-password".toCharArray(), List.of("connector"), true);
        for (int i = 0; i < 3; i++) {
            assertThat(auth("carol", "wrong-" + i)).isInstanceOf(AuthResult.Rejected.class);
        }
        AuthResult blocked = auth("carol", "carol-password");
        assertThat(((AuthResult.Rejected) blocked).retryAfter()).isPositive();
        String details = STORE.store().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT string_agg(details::text, ' ') FROM audit_log WHERE event_type = 'proxy.login_failed'"
                        + " AND details->>'username' = 'carol'").mapTo(String.class).one());
        assertThat(details).contains("127.0.0.1").contains("postgresql").doesNotContain("wrong-")
                .doesNotContain("carol-password");
    }

    @Test
    void scramMaterialCoversThePasswordAndEveryValidKey() {
        String key = credentials.issueApiKey(bob, "scram", null).plaintext();
        ScramCredentials material = authenticator.scramCredentials(attempt("bob")).toCompletableFuture().join();
        assertThat(material.available()).isTrue();
        assertThat(material.verifiers()).extracting(ScramCredentials.Verifier::credentialId).contains("password");
        ScramCredentials.Verifier expected = Scram.verifier("x", key.toCharArray(), material.salt(),
                material.iterations());
        ScramCredentials.Verifier keyVerifier = material.verifiers().stream()
                .filter(v -> v.credentialId().startsWith("apikey:")).findFirst().orElseThrow();
        assertThat(keyVerifier.storedKey()).isEqualTo(expected.storedKey());
        ScramCredentials.Verifier password = Scram.verifier("x", "bob-password".toCharArray(), material.salt(),
                material.iterations());
        assertThat(material.verifiers().get(0).storedKey()).isEqualTo(password.storedKey());

        AuthResult viaKey = authenticator.scramCompleted(attempt("bob"), Optional.of(keyVerifier.credentialId()))
                .toCompletableFuture().join();
        assertThat(((AuthResult.Authenticated) viaKey).identity().apiKeyId()).isPresent();
        assertThat(authenticator.scramCompleted(attempt("bob"), Optional.empty()).toCompletableFuture().join())
                .isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void apiKeysCarryAnEncryptedO5logonVerifier() {
        Credentials.Issued issued = credentials.issueApiKey(alice, "oracle", null);
        dev.dbbat.store.ApiKey key = keys.findById(issued.key().id()).orElseThrow();
        assertThat(key.o5logonSalt()).hasSize(10);
        byte[] verifier = cipher.decryptBytes(key.o5logonVerifier(), CredentialCipher.apiKeyAad(key.keyPrefix()));
        assertThat(verifier).hasSize(24).isEqualTo(Credentials.o5logonVerifierKey(issued.plaintext(),
                key.o5logonSalt()));
        assertThat(java.util.Arrays.copyOfRange(verifier, 20, 24)).containsOnly(0);
        dev.dbbat.store.ApiKey session = credentials.issueWebSession(alice, Duration.ofMinutes(1)).key();
        assertThat(session.o5logonSalt()).isNull();
        assertThat(session.scramStoredKey()).isNull();
    }

    @Test
    void unknownUsersGetAStableFakeSalt() {
        ScramCredentials one = authenticator.scramCredentials(attempt("nobody")).toCompletableFuture().join();
        ScramCredentials two = authenticator.scramCredentials(attempt("nobody")).toCompletableFuture().join();
        assertThat(one.verifiers()).isEmpty();
        assertThat(one.salt()).hasSize(16).isEqualTo(two.salt());
        assertThat(authenticator.scramCredentials(attempt("somebody")).toCompletableFuture().join().salt())
                .isNotEqualTo(one.salt());
    }

    private static Database database(String name, String protocol, boolean withReadOnly) {
        UUID uid = UUID.randomUUID();
        return databases.insert(new Database(uid, name, "", "db.internal", 5432, "app", "owner",
                cipher.encrypt("owner-pw", CredentialCipher.databaseAad(uid)), withReadOnly ? "reader" : null,
                withReadOnly ? cipher.encrypt("reader-pw", CredentialCipher.databaseReadOnlyAad(uid)) : null,
                "disable", protocol, null, alice.uid(), null, null));
    }

    private static Identity identity(User user) {
        return new Identity(user.uid(), user.username(), java.util.Set.copyOf(user.roles()),
                Identity.AuthMethod.PASSWORD, Optional.empty());
    }

    private static Resolution resolve(User user, String name, Protocol listener) {
        return resolver.resolve(identity(user), name, listener).toCompletableFuture().join();
    }

    @Test
    void resolvesTheTargetWithTheMostRecentActiveGrant() {
        Database db = database("sales", "postgresql", true);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        grants.insert(new NewGrant(alice.uid(), db.uid(), List.of(), alice.uid(), now.minusSeconds(60),
                now.plusSeconds(3600), null, null));
        assertThat(resolve(alice, "sales", Protocol.POSTGRESQL)).isInstanceOf(Resolution.Resolved.class);
        Resolution.Resolved full = (Resolution.Resolved) resolve(alice, "sales", Protocol.POSTGRESQL);
        assertThat(full.target().password()).isEqualTo("owner-pw");
        assertThat(full.target().readOnlyCredential()).isFalse();

        grants.insert(new NewGrant(alice.uid(), db.uid(), List.of("read_only"), alice.uid(), now.minusSeconds(30),
                now.plusSeconds(3600), 10L, null));
        Resolution.Resolved readOnly = (Resolution.Resolved) resolve(alice, "sales", Protocol.POSTGRESQL);
        assertThat(readOnly.grant().controls()).containsExactly(Control.READ_ONLY);
        assertThat(readOnly.target().username()).isEqualTo("reader");
        assertThat(readOnly.target().password()).isEqualTo("reader-pw");
        assertThat(readOnly.target().readOnlyCredential()).isTrue();
        assertThat(readOnly.grant().maxQueries()).hasValue(10);
        assertThat(readOnly.target().toString()).doesNotContain("reader-pw");
    }

    @Test
    void refusesUnknownDatabasesOtherProtocolsMissingGrantsAndExhaustedQuotas() {
        Database mysql = database("shop", "mariadb", false);
        Instant now = Instant.now();
        grants.insert(new NewGrant(alice.uid(), mysql.uid(), List.of(), alice.uid(), now.minusSeconds(60),
                now.plusSeconds(3600), 0L, null));
        assertThat(resolve(alice, "nope", Protocol.POSTGRESQL)).isInstanceOf(Resolution.Refused.class);
        assertThat(((Resolution.Refused) resolve(alice, "shop", Protocol.POSTGRESQL)).reason())
                .contains("not reachable");
        assertThat(((Resolution.Refused) resolve(alice, "shop", Protocol.MYSQL)).reason())
                .isEqualTo("query limit exceeded");
        assertThat(((Resolution.Refused) resolve(bob, "shop", Protocol.MYSQL)).reason()).contains("no active grant");
    }

    @Test
    void aLoginReadsTheStoreInOneStatementForScramAndOneForTheTarget() {
        User dave = credentials.createUser("dave", "dave-password".toCharArray(), List.of("connector"), true);
        String valid = credentials.issueApiKey(dave, "valid", null).plaintext();
        Credentials.Issued revoked = credentials.issueApiKey(dave, "revoked", null);
        keys.revoke(revoked.key().id(), dave.uid());
        credentials.issueWebSession(dave, Duration.ofHours(1));
        Database db = database("ledger", "postgresql", false);
        Instant now = Instant.now();
        grants.insert(new NewGrant(dave.uid(), db.uid(), List.of(), alice.uid(), now.minusSeconds(60),
                now.plusSeconds(3600), 100L, null));

        AtomicInteger statements = new AtomicInteger();
        Jdbi counting = countingJdbi(statements);
        UserRepository countedUsers = new UserRepository(counting);
        ApiKeyRepository countedKeys = new ApiKeyRepository(counting);
        StoreClientAuthenticator countedAuthenticator = new StoreClientAuthenticator(credentials, countedUsers,
                countedKeys, backoff, new StoreAuditSink(new AuditRepository(counting)), "server-secret".getBytes(),
                executor);
        StoreTargetResolver countedResolver = new StoreTargetResolver(new DatabaseRepository(counting),
                new GrantRepository(counting), cipher, executor);

        ScramCredentials material = countedAuthenticator.scramCredentials(attempt("dave")).toCompletableFuture()
                .join();
        assertThat(statements.getAndSet(0)).isEqualTo(1);
        ScramCredentials.Verifier expected = Scram.verifier("x", valid.toCharArray(), material.salt(),
                material.iterations());
        assertThat(material.verifiers()).hasSize(2);
        assertThat(material.verifiers().get(0).credentialId()).isEqualTo("password");
        assertThat(material.verifiers().get(1).storedKey()).isEqualTo(expected.storedKey());

        Resolution resolution = countedResolver.resolve(identity(dave), "ledger", Protocol.POSTGRESQL)
                .toCompletableFuture().join();
        assertThat(statements.getAndSet(0)).isEqualTo(1);
        Resolution.Resolved resolved = (Resolution.Resolved) resolution;
        assertThat(resolved.target().password()).isEqualTo("owner-pw");
        assertThat(resolved.grant().maxQueries()).hasValue(100);
        assertThat(((Resolution.Refused) countedResolver.resolve(identity(bob), "ledger", Protocol.POSTGRESQL)
                .toCompletableFuture().join()).reason()).contains("no active grant");
        assertThat(((Resolution.Refused) countedResolver.resolve(identity(dave), "missing", Protocol.POSTGRESQL)
                .toCompletableFuture().join()).reason()).contains("unknown database");
    }

    @Test
    void aWarmLoginCacheReadsNothingAndEveryChangeThroughTheRepositoriesEmptiesIt() {
        User gina = credentials.createUser("gina", "gina-password".toCharArray(), List.of("connector"), true);
        Database db = database("vault", "postgresql", false);
        Instant now = Instant.now();
        UUID grant = grants.insert(new NewGrant(gina.uid(), db.uid(), List.of(), alice.uid(), now.minusSeconds(60),
                now.plusSeconds(3600), null, null)).uid();

        AtomicInteger statements = new AtomicInteger();
        Jdbi counting = countingJdbi(statements);
        LoginCache cache = new LoginCache(Duration.ofMinutes(1), 100, System::nanoTime);
        dev.dbbat.store.LoginDataChanges.listen(counting, cache::invalidateAll);
        UserRepository countedUsers = new UserRepository(counting);
        StoreClientAuthenticator cached = new StoreClientAuthenticator(credentials, countedUsers,
                new ApiKeyRepository(counting), backoff, new StoreAuditSink(new AuditRepository(counting)),
                "server-secret".getBytes(), executor, cache);
        java.util.concurrent.atomic.AtomicReference<Instant> clock = new java.util.concurrent.atomic.AtomicReference<>(
                Instant.now());
        StoreTargetResolver cachedResolver = new StoreTargetResolver(new DatabaseRepository(counting),
                new GrantRepository(counting), cipher, executor, cache, new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return java.time.ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return clock.get();
                    }
                });

        // cold: one read each; warm: none, and the SCRAM completion does not read the user again
        ScramCredentials first = cached.scramCredentials(attempt("gina")).toCompletableFuture().join();
        assertThat(statements.getAndSet(0)).isEqualTo(1);
        ScramCredentials again = cached.scramCredentials(attempt("gina")).toCompletableFuture().join();
        assertThat(again.salt()).isEqualTo(first.salt());
        assertThat(again.verifiers()).extracting(ScramCredentials.Verifier::credentialId).containsExactly("password");
        AuthResult result = cached.scramCompleted(attempt("gina"), Optional.of("password")).toCompletableFuture()
                .join();
        assertThat(((AuthResult.Authenticated) result).identity().userId()).isEqualTo(gina.uid());
        assertThat(statements.getAndSet(0)).isZero();
        assertThat(resolve(cachedResolver, gina, "vault")).isInstanceOf(Resolution.Resolved.class);
        assertThat(statements.getAndSet(0)).isEqualTo(1);
        assertThat(resolve(cachedResolver, gina, "vault")).isInstanceOf(Resolution.Resolved.class);
        assertThat(statements.getAndSet(0)).isZero();
        // a kept grant is used only while its window holds on the local clock
        clock.set(now.plusSeconds(7200));
        assertThat(resolve(cachedResolver, gina, "vault")).isInstanceOf(Resolution.Resolved.class);
        assertThat(statements.getAndSet(0)).isEqualTo(1);
        clock.set(Instant.now());

        // a change made outside the repositories (here SQL by hand) is not seen until the entry expires ...
        STORE.store().jdbi().useHandle(handle -> handle.createUpdate(
                "UPDATE access_grants SET revoked_at = now() WHERE uid = :uid").bind("uid", grant).execute());
        assertThat(resolve(cachedResolver, gina, "vault")).isInstanceOf(Resolution.Resolved.class);
        assertThat(statements.getAndSet(0)).isZero();
        // ... while any change made through them empties the cache at once
        new GrantRepository(counting).insert(new NewGrant(bob.uid(), db.uid(), List.of(), alice.uid(),
                now.minusSeconds(60), now.plusSeconds(3600), null, null));
        statements.set(0);
        assertThat(((Resolution.Refused) resolve(cachedResolver, gina, "vault")).reason())
                .contains("no active grant");
        UUID renewed = new GrantRepository(counting).insert(new NewGrant(gina.uid(), db.uid(), List.of(),
                alice.uid(), now.minusSeconds(60), now.plusSeconds(3600), null, null)).uid();
        assertThat(((Resolution.Resolved) resolve(cachedResolver, gina, "vault")).grant().grantId())
                .isEqualTo(renewed);
        assertThat(new GrantRepository(counting).revoke(renewed, alice.uid())).isTrue();
        assertThat(resolve(cachedResolver, gina, "vault")).isInstanceOf(Resolution.Refused.class);

        // a new password: the next login reads the new verifier
        cached.scramCredentials(attempt("gina")).toCompletableFuture().join();
        ScramCredentials.Verifier newVerifier = Scram.verifier("password", "gina-new-password".toCharArray(),
                gina.scramSalt(), gina.scramIterations());
        assertThat(countedUsers.setPassword(gina.uid(), gina.passwordHash(), newVerifier.storedKey(),
                newVerifier.serverKey(), true)).isTrue();
        statements.set(0);
        ScramCredentials changed = cached.scramCredentials(attempt("gina")).toCompletableFuture().join();
        assertThat(statements.get()).isEqualTo(1);
        assertThat(changed.verifiers().get(0).storedKey()).isEqualTo(newVerifier.storedKey());
        // a deleted user: the cache is emptied, the user's SCRAM material is gone
        assertThat(countedUsers.softDelete(gina.uid())).isTrue();
        assertThat(cached.scramCredentials(attempt("gina")).toCompletableFuture().join().verifiers()).isEmpty();
        assertThat(((AuthResult.Rejected) cached.scramCompleted(attempt("gina"), Optional.of("password"))
                .toCompletableFuture().join()).reason()).isNotBlank();
    }

    /** A Jdbi on the store that adds one to {@code statements} for every statement it runs. */
    private static Jdbi countingJdbi(AtomicInteger statements) {
        Jdbi counting = Jdbi.create(STORE.store().dataSource()).installPlugin(new PostgresPlugin());
        counting.setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });
        return counting;
    }

    private static Resolution resolve(StoreTargetResolver resolver, User user, String name) {
        return resolver.resolve(identity(user), name, Protocol.POSTGRESQL).toCompletableFuture().join();
    }

    @Test
    void theLoginReadOfAUserListsOnlyItsValidApiKeys() {
        User erin = credentials.createUser("erin", "erin-password".toCharArray(), List.of("connector"), true);
        assertThat(users.findForLogin("erin").orElseThrow().validApiKeys()).isEmpty();
        Credentials.Issued first = credentials.issueApiKey(erin, "first", null);
        Credentials.Issued second = credentials.issueApiKey(erin, "second", null);
        Credentials.Issued gone = credentials.issueApiKey(erin, "gone", null);
        keys.revoke(gone.key().id(), erin.uid());
        credentials.issueWebSession(erin, Duration.ofHours(1));
        User frank = credentials.createUser("frank", "frank-password".toCharArray(), List.of("connector"), true);
        credentials.issueApiKey(frank, "not erin's", null);
        LoginUser login = users.findForLogin("erin").orElseThrow();
        assertThat(login.user()).usingRecursiveComparison().isEqualTo(users.findByUsername("erin").orElseThrow());
        assertThat(login.validApiKeys()).extracting(dev.dbbat.store.ApiKey::id)
                .containsExactly(first.key().id(), second.key().id());
        assertThat(login.validApiKeys()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(keys.validApiKeysOf(erin.uid()));
        assertThat(users.findForLogin("nobody-here")).isEmpty();
    }

    @Test
    void anOracleListenerAlsoFindsADatabaseByServiceNameWithItsGrant() {
        UUID uid = UUID.randomUUID();
        Database oracle = databases.insert(new Database(uid, "ora-main", "", "ora.internal", 1521, "ORCL", "owner",
                cipher.encrypt("ora-pw", CredentialCipher.databaseAad(uid)), null, null, "disable", "oracle",
                "SALESPDB", alice.uid(), null, null));
        Instant now = Instant.now();
        grants.insert(new NewGrant(alice.uid(), oracle.uid(), List.of(), alice.uid(), now.minusSeconds(60),
                now.plusSeconds(3600), 50L, null));
        Resolution.Resolved byService = (Resolution.Resolved) resolve(alice, "SALESPDB", Protocol.ORACLE);
        assertThat(byService.target().databaseId()).isEqualTo(oracle.uid());
        assertThat(byService.target().password()).isEqualTo("ora-pw");
        assertThat(byService.grant().maxQueries()).hasValue(50);
        assertThat(resolve(alice, "ora-main", Protocol.ORACLE)).isInstanceOf(Resolution.Resolved.class);
        assertThat(((Resolution.Refused) resolve(bob, "SALESPDB", Protocol.ORACLE)).reason())
                .contains("no active grant");
        assertThat(((Resolution.Refused) resolve(alice, "SALESPDB", Protocol.POSTGRESQL)).reason())
                .contains("unknown database");
    }
}
