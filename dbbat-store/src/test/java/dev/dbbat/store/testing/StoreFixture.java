package dev.dbbat.store.testing;

import dev.dbbat.store.PostgresDsn;
import dev.dbbat.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: one embedded PostgreSQL per test JVM (started on first use, stopped at JVM exit), and a fresh,
 * migrated database per test class. Use with {@code @RegisterExtension static StoreFixture STORE = new
 * StoreFixture();} and {@code STORE.store()}.
 */
public final class StoreFixture implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private Store store;
    private PostgresDsn dsn;

    /** The shared embedded server (started on first call). */
    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return postgres;
    }

    /** Creates a fresh empty database on the shared server and returns its DSN. */
    public static PostgresDsn createDatabase() {
        String name = "dbbat_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection connection = postgres().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot create test database", ex);
        }
        return new PostgresDsn("127.0.0.1", postgres().getPort(), name, "postgres", "", Map.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        dsn = createDatabase();
        store = Store.open(dsn, 8, 10_000);
        store.migrate();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (store != null) {
            store.close();
        }
    }

    public Store store() {
        return store;
    }

    public PostgresDsn dsn() {
        return dsn;
    }
}
