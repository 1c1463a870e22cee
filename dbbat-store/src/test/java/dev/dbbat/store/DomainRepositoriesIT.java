package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.UuidV7;
import dev.dbbat.store.testing.StoreFixture;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Users, API keys, databases and grants repositories against a real store. */
class DomainRepositoriesIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private final UserRepository users = new UserRepository(STORE.store().jdbi());
    private final ApiKeyRepository keys = new ApiKeyRepository(STORE.store().jdbi());
    private final DatabaseRepository databases = new DatabaseRepository(STORE.store().jdbi());
    private final GrantRepository grants = new GrantRepository(STORE.store().jdbi());

    private User user(String name, String... roles) {
        return users.create(new NewUser(name, "$argon2id$fake", new byte[16], 4096, new byte[32], new byte[32],
                List.of(roles), false));
    }

    private Database database(String name, UUID createdBy) {
        return databases.insert(new Database(UUID.randomUUID(), name, null, "h", 5432, "d", "u", new byte[] {1},
                null, null, null, null, null, createdBy, null, null));
    }

    @Test
    void usersAreSoftDeletedAndTheirNameFreed() {
        User alice = user("alice", "admin", "connector");
        assertThat(alice.roles()).containsExactly("admin", "connector");
        assertThat(alice.passwordChangedAt()).isNull();
        assertThatThrownBy(() -> user("alice", "viewer")).isInstanceOf(UnableToExecuteStatementException.class);
        assertThatThrownBy(() -> user("mallory", "root")).isInstanceOf(UnableToExecuteStatementException.class);
        assertThat(users.setPassword(alice.uid(), "$argon2id$new", new byte[32], new byte[32], true)).isTrue();
        assertThat(users.findById(alice.uid()).orElseThrow().passwordChangedAt()).isNotNull();
        assertThat(users.setRoles(alice.uid(), List.of("viewer"))).isTrue();
        assertThat(users.findByUsername("alice").orElseThrow().roles()).containsExactly("viewer");
        assertThat(users.softDelete(alice.uid())).isTrue();
        assertThat(users.softDelete(alice.uid())).isFalse();
        assertThat(users.findById(alice.uid())).isEmpty();
        assertThat(user("alice", "connector").uid()).isNotEqualTo(alice.uid());
        assertThat(users.list()).extracting(User::username).isSorted();
    }

    @Test
    void apiKeysAreFilteredRevokedOnceAndTouched() {
        User owner = user("key-owner", "connector");
        ApiKey key = keys.insert(new NewApiKey(owner.uid(), "k", "$hash", "dbb_abcdefghijkl", "api", new byte[32],
                new byte[32], null, null, null));
        ApiKey expired = keys.insert(new NewApiKey(owner.uid(), "old", "$hash", "dbb_expiredexpir", "api", null,
                null, Instant.now().minusSeconds(5), null, null));
        keys.insert(new NewApiKey(owner.uid(), "Web Session", "$hash", "web_sessionsessi", "web", null, null,
                Instant.now().plusSeconds(3600), null, null));
        ApiKeyFilter active = new ApiKeyFilter(Optional.of(owner.uid()), Optional.of("api"), false);
        assertThat(keys.list(active)).extracting(ApiKey::id).containsExactly(key.id());
        assertThat(keys.list(new ApiKeyFilter(Optional.of(owner.uid()), Optional.of("api"), true))).hasSize(2);
        assertThat(keys.validApiKeysOf(owner.uid())).extracting(ApiKey::id).containsExactly(key.id());
        assertThat(keys.findByPrefix("dbb_abcdefghijkl")).isPresent();
        keys.touch(key.id());
        assertThat(keys.findById(key.id()).orElseThrow().requestCount()).isEqualTo(1);
        assertThat(keys.revoke(key.id(), owner.uid())).isTrue();
        assertThat(keys.revoke(key.id(), owner.uid())).isFalse();
        assertThat(keys.findById(key.id()).orElseThrow().validAt(Instant.now())).isFalse();
        assertThat(expired.validAt(Instant.now())).isFalse();
        keys.insert(new NewApiKey(owner.uid(), "Web Session", "$hash", "web_oldsessionxx", "web", null, null,
                Instant.now().minus(2, ChronoUnit.DAYS), null, null));
        assertThat(keys.purgeExpiredWebSessions()).isEqualTo(1);
        assertThat(keys.findByPrefix("web_oldsessionxx")).isEmpty();
        assertThat(keys.findByPrefix("web_sessionsessi")).isPresent();
        assertThatThrownBy(() -> keys.insert(new NewApiKey(owner.uid(), "dup", "$h", "dbb_abcdefghijkl", "api",
                null, null, null, null, null))).isInstanceOf(UnableToExecuteStatementException.class);
    }

    @Test
    void databasesAreListedByGrantAndUpdatedInPlace() {
        User admin = user("db-admin", "admin");
        User connector = user("db-connector", "connector");
        Database granted = database("granted", admin.uid());
        database("other", admin.uid());
        Instant now = Instant.now();
        grants.insert(new NewGrant(connector.uid(), granted.uid(), List.of(), admin.uid(), now.minusSeconds(10),
                now.plusSeconds(3600), null, null));
        assertThat(databases.listGrantedTo(connector.uid())).extracting(Database::name).containsExactly("granted");
        Database changed = new Database(granted.uid(), granted.name(), "described", "h2", 6543, "d2", "u2",
                new byte[] {2}, "ro", new byte[] {3}, "require", "postgresql", null, admin.uid(), null, null);
        assertThat(databases.update(changed)).isTrue();
        Database read = databases.findByName("granted").orElseThrow();
        assertThat(read.port()).isEqualTo(6543);
        assertThat(read.hasReadOnlyCredential()).isTrue();
        assertThat(databases.softDelete(granted.uid())).isTrue();
        assertThat(databases.findById(granted.uid())).isEmpty();
        assertThat(databases.listGrantedTo(connector.uid())).isEmpty();
    }

    @Test
    void grantUsageCoversTheEffectiveWindowOnly() {
        User admin = user("g-admin", "admin");
        User grantee = user("g-user", "connector");
        Database db = database("usage", admin.uid());
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS);
        Grant grant = grants.insert(new NewGrant(grantee.uid(), db.uid(), List.of("read_only"), admin.uid(), start,
                start.plus(10, ChronoUnit.DAYS), 5L, 1000L));
        UUID inside = UuidV7.next();
        UUID before = UuidV7.next();
        UUID closedInside = UuidV7.next();
        STORE.store().jdbi().useHandle(handle -> {
            // as the proxy writes them: a connection's queries counter equals its statement rows
            handle.execute("INSERT INTO connections (uid, user_id, database_id, source_ip, connected_at, queries,"
                    + " bytes_transferred) VALUES (?, ?, ?, '1.2.3.4', now() - interval '1 hour', 1, 700)",
                    inside, grantee.uid(), db.uid());
            handle.execute("INSERT INTO connections (uid, user_id, database_id, source_ip, connected_at, queries,"
                    + " bytes_transferred) VALUES (?, ?, ?, '1.2.3.4', now() - interval '3 hours', 2, 5000)",
                    before, grantee.uid(), db.uid());
            handle.execute("INSERT INTO queries (uid, connection_id, sql_text, executed_at) VALUES"
                    + " (?, ?, 'a', now() - interval '30 minutes'), (?, ?, 'b', now() - interval '3 hours'),"
                    + " (?, ?, 'c', now() - interval '90 minutes')",
                    UuidV7.next(), inside, UuidV7.next(), before, UuidV7.next(), before);
            // closed inside the window: its counter is read, its rows are not (none here)
            handle.execute("INSERT INTO connections (uid, user_id, database_id, source_ip, connected_at,"
                    + " disconnected_at, queries) VALUES (?, ?, ?, '1.2.3.4', now() - interval '100 minutes',"
                    + " now() - interval '95 minutes', 4)", closedInside, grantee.uid(), db.uid());
        });
        Grant read = grants.findById(grant.uid()).orElseThrow();
        // inside: its counter (1); before: crosses the window's start, its rows inside it (1); closedInside: 4
        assertThat(read.queryCount()).isEqualTo(6);
        assertThat(grants.findActive(grantee.uid(), db.uid()).orElseThrow().queryCount()).isEqualTo(6);
        assertThat(read.bytesTransferred()).isEqualTo(700);
        assertThat(grants.findActive(grantee.uid(), db.uid())).map(Grant::uid).contains(grant.uid());
        assertThat(grants.list(new GrantFilter(Optional.of(grantee.uid()), Optional.empty(), true))).hasSize(1);
        assertThat(grants.revoke(grant.uid(), admin.uid())).isTrue();
        assertThat(grants.revoke(grant.uid(), admin.uid())).isFalse();
        assertThat(grants.findActive(grantee.uid(), db.uid())).isEmpty();
        assertThat(grants.list(new GrantFilter(Optional.of(grantee.uid()), Optional.empty(), true))).isEmpty();
        assertThatThrownBy(() -> grants.insert(new NewGrant(grantee.uid(), db.uid(), List.of("drop"), admin.uid(),
                start, start.plusSeconds(1), null, null))).isInstanceOf(UnableToExecuteStatementException.class);
    }
}
