package dev.dbbat.server.policy;

import static dev.dbbat.server.policy.Sessions.grant;
import static dev.dbbat.server.policy.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.store.testing.StoreFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The grant watch against a real store: revocation and expiry end live sessions within 5 seconds. */
class GrantPolicyIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private GrantPolicyInterceptor policy;
    private UUID userId;
    private UUID databaseId;

    @BeforeEach
    void setUp() {
        Jdbi jdbi = STORE.store().jdbi();
        userId = UUID.randomUUID();
        databaseId = UUID.randomUUID();
        jdbi.useHandle(handle -> {
            handle.createUpdate("INSERT INTO users (uid, username, password_hash, scram_salt, scram_iterations, "
                    + "scram_stored_key, scram_server_key) VALUES (:uid, :name, 'x', '\\x00', 4096, '\\x00', '\\x00')")
                    .bind("uid", userId).bind("name", "u" + userId).execute();
            handle.createUpdate("INSERT INTO databases (uid, name, host, port, username, password_encrypted) "
                    + "VALUES (:uid, :name, '127.0.0.1', 5432, 'u', '\\x00')")
                    .bind("uid", databaseId).bind("name", "d" + databaseId).execute();
        });
        policy = new GrantPolicyInterceptor(new StoreGrantStatusSource(jdbi), Duration.ofSeconds(1),
                Clock.systemUTC());
        policy.start();
    }

    @AfterEach
    void tearDown() {
        policy.close();
    }

    private UUID insertGrant(String expiresIn) {
        UUID grantId = UUID.randomUUID();
        STORE.store().jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO access_grants (uid, user_id, "
                        + "database_id, granted_by, starts_at, expires_at) VALUES (:uid, :user, :db, :user, "
                        + "now() - interval '1 hour', now() + CAST(:expires AS interval))")
                .bind("uid", grantId).bind("user", userId).bind("db", databaseId).bind("expires", expiresIn)
                .execute());
        return grantId;
    }

    private static void awaitTermination(Sessions.RecordingHandle handle, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (handle.terminated.get() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void terminatesALiveSessionWithin5SecondsOfRevocation() {
        UUID grantId = insertGrant("1 hour");
        Sessions.RecordingHandle handle = new Sessions.RecordingHandle();
        SessionInfo session = session(grant(grantId, Instant.now().plusSeconds(3600), OptionalLong.empty(),
                OptionalLong.empty(), 0, 0), handle);
        policy.onConnect(session).toCompletableFuture().join();
        awaitTermination(handle, Duration.ofMillis(2500));
        assertThat(handle.terminated).as("a valid grant keeps its session").hasNullValue();

        STORE.store().jdbi().useHandle(h -> h.createUpdate("UPDATE access_grants SET revoked_at = now(), "
                + "revoked_by = user_id WHERE uid = :uid").bind("uid", grantId).execute());
        long revokedAt = System.nanoTime();
        awaitTermination(handle, Duration.ofSeconds(5));
        assertThat(handle.terminated).hasValue("access grant revoked");
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void terminatesALiveSessionWithin5SecondsOfExpiry() {
        UUID grantId = insertGrant("2 seconds");
        Sessions.RecordingHandle handle = new Sessions.RecordingHandle();
        // the session's own copy says "much later": the store's clock and row are what count
        policy.onConnect(session(grant(grantId, Instant.now().plusSeconds(3600), OptionalLong.empty(),
                OptionalLong.empty(), 0, 0), handle)).toCompletableFuture().join();
        awaitTermination(handle, Duration.ofSeconds(7));
        assertThat(handle.terminated).hasValue("access grant expired");
    }

    @Test
    void readsQuotasFromTheStore() {
        UUID grantId = insertGrant("1 hour");
        STORE.store().jdbi().useHandle(h -> h.createUpdate("UPDATE access_grants SET max_query_counts = 7, "
                + "max_bytes_transferred = 9 WHERE uid = :uid").bind("uid", grantId).execute());
        GrantStatus status = new StoreGrantStatusSource(STORE.store().jdbi()).statuses(java.util.Set.of(grantId,
                UUID.randomUUID())).get(grantId);
        assertThat(status).isEqualTo(new GrantStatus(grantId, false, false, OptionalLong.of(7), OptionalLong.of(9)));
    }
}
