package dev.dbbat.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.store.PostgresDsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreIT {

    @TempDir
    Path dir;

    private static Connection connect(PostgresDsn dsn, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", dsn.user());
        properties.setProperty("password", password);
        return DriverManager.getConnection(dsn.jdbcUrl(), properties);
    }

    @Test
    void keepsDataAcrossRestartsAndStopsPostgresCleanly() throws Exception {
        Path home = dir.resolve(".dbbat");
        try (EmbeddedStore store = EmbeddedStore.start(home, OptionalInt.empty())) {
            assertThat(store.dsn().host()).isEqualTo("127.0.0.1");
            assertThat(store.dsn().database()).isEqualTo("dbbat");
            try (Connection connection = connect(store.dsn(), store.dsn().password());
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (v TEXT)");
                statement.execute("INSERT INTO kept VALUES ('across restarts')");
            }
            assertThat(EmbeddedStore.postmaster(store.dataDirectory())).isPresent();
        }
        assertThat(home.resolve("pgdata/postmaster.pid")).doesNotExist();
        try (EmbeddedStore store = EmbeddedStore.start(home, OptionalInt.empty());
                Connection connection = connect(store.dsn(), store.dsn().password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("across restarts");
        }
    }

    @Test
    void requiresTheGeneratedPasswordAndKeepsItPrivate() throws Exception {
        Path home = dir.resolve("home");
        try (EmbeddedStore store = EmbeddedStore.start(home, OptionalInt.empty())) {
            assertThatThrownBy(() -> connect(store.dsn(), "wrong").close()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> connect(store.dsn(), "").close()).isInstanceOf(SQLException.class);
            assertThat(Files.readString(home.resolve("pg-password")).trim()).isEqualTo(store.dsn().password());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("pg-password"))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                    .isEqualTo("rwx------");
            assertThat(Files.readAllLines(home.resolve("pgdata/pg_hba.conf")))
                    .filteredOn(line -> !line.isBlank() && !line.startsWith("#"))
                    .isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("scram-sha-256"));
        }
    }

    @Test
    void refusesASecondServerOnTheSameHome() {
        Path home = dir.resolve(".dbbat");
        try (EmbeddedStore first = EmbeddedStore.start(home, OptionalInt.empty())) {
            assertThatThrownBy(() -> EmbeddedStore.start(home, OptionalInt.empty()))
                    .isInstanceOf(HomeInUseException.class)
                    .hasMessageStartingWith("another DBBat server is using " + home + " (lock held");
            assertThat(EmbeddedStore.postmaster(first.dataDirectory())).isPresent();
        }
    }

    @Test
    void stopsAPostmasterLeftRunningOnTheDataDirectory() {
        Path home = dir.resolve(".dbbat");
        try (EmbeddedStore store = EmbeddedStore.start(home, OptionalInt.empty())) {
            ProcessHandle postmaster = EmbeddedStore.postmaster(store.dataDirectory()).orElseThrow();
            EmbeddedStore.stopOrphan(store.dataDirectory());
            assertThat(postmaster.isAlive()).isFalse();
            assertThat(EmbeddedStore.postmaster(store.dataDirectory())).isEmpty();
        }
    }
}
