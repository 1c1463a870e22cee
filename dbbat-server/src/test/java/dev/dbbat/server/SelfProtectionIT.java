package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.store.PostgresDsn;
import dev.dbbat.store.testing.StoreFixture;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** behaviour.md §1.5: at start-up, databases designating the store itself are reported. */
class SelfProtectionIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private static void insertDatabase(String name, String host, int port, String database) {
        STORE.store().jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO databases (uid, name, host, port, "
                        + "database_name, username, password_encrypted) VALUES (:uid, :name, :host, :port, :db, 'u', "
                        + "'\\\\x00')")
                .bind("uid", UUID.randomUUID()).bind("name", name).bind("host", host).bind("port", port)
                .bind("db", database).execute());
    }

    @Test
    void findsTheDatabasesThatDesignateTheStore() {
        PostgresDsn dsn = STORE.dsn();
        insertDatabase("itself", "LOCALHOST", dsn.port(), dsn.database());
        insertDatabase("other-db", "127.0.0.1", dsn.port(), "elsewhere");
        insertDatabase("other-port", "127.0.0.1", dsn.port() + 1, dsn.database());
        assertThat(Server.databasesDesignating(STORE.store(), dsn)).containsExactly("itself");
    }
}
