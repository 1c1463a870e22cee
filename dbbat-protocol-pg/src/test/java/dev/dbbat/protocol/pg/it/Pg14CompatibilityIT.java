package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Smoke test against PostgreSQL 14 (binaries jar copied by maven-dependency-plugin). */
class Pg14CompatibilityIT {
    private static Upstream upstream;
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of(System.getProperty("dbbat.pg14.binaries", "target/pg-binaries/pg14-binaries.jar"));
        assertThat(jar).exists();
        PgBinaryResolver resolver = (system, architecture) -> {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.stream().filter(each -> each.getName().endsWith(".txz")).findFirst()
                        .orElseThrow();
                try (InputStream in = zip.getInputStream(entry)) {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        };
        upstream = Upstream.start(resolver);
        proxy = new ProxyHarness(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void relaysAndRefusesOnPostgres14() throws Exception {
        try (Connection connection = proxy.connect("main", "");
                ResultSet version = connection.createStatement().executeQuery("SHOW server_version_num")) {
            version.next();
            assertThat(version.getInt(1)).isBetween(140000, 149999);
            try (PreparedStatement statement = connection.prepareStatement("SELECT ?::int + 1")) {
                statement.setInt(1, 41);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(42);
                }
            }
        }
        try (Connection connection = proxy.connect("ro", "")) {
            assertThatThrownBy(() -> connection.createStatement().execute("CREATE TABLE t14 (id int)"))
                    .isInstanceOfSatisfying(SQLException.class,
                            ex -> assertThat(ex.getSQLState()).isEqualTo("42501"));
            assertThat(connection.isValid(2)).isTrue();
        }
    }
}
