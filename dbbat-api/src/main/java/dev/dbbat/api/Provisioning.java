package dev.dbbat.api;

import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.Database;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.NewGrant;
import dev.dbbat.store.Store;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuthCache;
import dev.dbbat.store.auth.Credentials;
import dev.dbbat.store.crypto.CredentialCipher;
import dev.dbbat.store.hash.PasswordHasher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start and run-mode data (behaviour §2.4): the default admin, and the sample users, database, grants and API
 * keys of the {@code test} and {@code demo} run modes. Blocking; call at startup before the listeners open.
 */
public final class Provisioning {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);
    private static final Duration SAMPLE_GRANT_LENGTH = Duration.ofDays(3650);

    private final Store store;
    private final CredentialCipher cipher;
    private final UserRepository users;
    private final DatabaseRepository databases;
    private final GrantRepository grants;
    private final Credentials credentials;

    /** Where the test-mode {@code proxy_target} database points (seed default: localhost:5002/target). */
    public record TestTarget(String host, int port, String database, String username, String password) {
        public TestTarget {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        public static TestTarget seedDefault() {
            return new TestTarget("localhost", 5002, "target", "postgres", "postgres");
        }

        @Override
        public String toString() {
            return username + ":***@" + host + ":" + port + "/" + database;
        }
    }

    public Provisioning(Store store, PasswordHasher hasher, CredentialCipher cipher) {
        this.store = Objects.requireNonNull(store, "store");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.users = new UserRepository(store.jdbi());
        this.databases = new DatabaseRepository(store.jdbi());
        this.grants = new GrantRepository(store.jdbi());
        this.credentials = new Credentials(users, new ApiKeyRepository(store.jdbi()), hasher,
                new AuthCache(false, Duration.ofSeconds(1), 1, Clock.systemUTC()), cipher, Clock.systemUTC());
    }

    /**
     * When no live user exists, creates {@code admin}/{@code admin} with roles admin and connector and a password
     * that must be changed before web login.
     *
     * @return whether the admin was created
     */
    public boolean ensureDefaultAdmin() {
        if (users.countLive() > 0) {
            return false;
        }
        createUser("admin", "admin", List.of("admin", "connector"), false);
        LOG.warn("created the default admin user 'admin' with password 'admin': change it before anything else");
        return true;
    }

    /**
     * Test run mode: drops every table, migrates, then creates admin ({@code admintest}), viewer/viewer,
     * connector/connector (passwords marked changed), the {@code proxy_target} database, a full grant for connector
     * and a read-only grant for viewer (10 years), and the fixed API keys {@code dbb_admin_key},
     * {@code dbb_connector_key} and {@code dbb_viewer_key}.
     */
    public void provisionTestMode(TestTarget target) {
        resetSchema();
        User admin = createUser("admin", "admintest", List.of("admin", "connector"), true);
        User viewer = createUser("viewer", "viewer", List.of("viewer"), true);
        User connector = createUser("connector", "connector", List.of("connector"), true);
        Database database = createDatabase("proxy_target", "Target test database from docker-compose", target.host(),
                target.port(), target.database(), target.username(), target.password(), admin);
        sampleGrants(admin, viewer, connector, database);
        credentials.issueApiKeyWithValue(admin, "admin-test-key", "dbb_admin_key");
        credentials.issueApiKeyWithValue(connector, "connector-test-key", "dbb_connector_key");
        credentials.issueApiKeyWithValue(viewer, "viewer-test-key", "dbb_viewer_key");
        LOG.info("test run mode: sample users, database {} ({}), grants and API keys provisioned", database.name(),
                target);
    }

    /**
     * Demo run mode: drops every table, migrates, then creates admin/admin (marked changed), viewer and connector,
     * the {@code demo_db} database on the demo target (port 5432) and the same grants as test mode. No API keys.
     */
    public void provisionDemoMode(ApiConfig.DemoTarget target) {
        resetSchema();
        User admin = createUser("admin", "admin", List.of("admin", "connector"), true);
        User viewer = createUser("viewer", "viewer", List.of("viewer"), true);
        User connector = createUser("connector", "connector", List.of("connector"), true);
        Database database = createDatabase("demo_db", "Demo database", target.host(), 5432, target.database(),
                target.username(), target.password(), admin);
        sampleGrants(admin, viewer, connector, database);
        LOG.info("demo run mode: sample users, database demo_db ({}) and grants provisioned", target);
    }

    private void resetSchema() {
        store.dropEverything();
        store.migrate();
    }

    private User createUser(String username, String password, List<String> roles, boolean changed) {
        char[] chars = password.toCharArray();
        try {
            return credentials.createUser(username, chars, roles, changed);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private Database createDatabase(String name, String description, String host, int port, String databaseName,
            String username, String password, User admin) {
        UUID uid = UUID.randomUUID();
        return databases.insert(new Database(uid, name, description, host, port, databaseName, username,
                cipher.encrypt(password, CredentialCipher.databaseAad(uid)), null, null, "disable", "postgresql", null,
                admin.uid(), null, null));
    }

    private void sampleGrants(User admin, User viewer, User connector, Database database) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant until = now.plus(SAMPLE_GRANT_LENGTH);
        grants.insert(new NewGrant(connector.uid(), database.uid(), List.of(), admin.uid(), now, until, null, null));
        grants.insert(new NewGrant(viewer.uid(), database.uid(), List.of("read_only"), admin.uid(), now, until, null,
                null));
    }
}
