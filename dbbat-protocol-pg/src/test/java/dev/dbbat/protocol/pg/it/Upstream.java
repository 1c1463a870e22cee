package dev.dbbat.protocol.pg.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A real PostgreSQL that DBBat proxies to. Only the superuser {@code postgres} is trusted (for test set-up and
 * checks); role {@code app} must log in with SCRAM-SHA-256, so the proxy really authenticates upstream.
 */
final class Upstream implements AutoCloseable {
    static final String USER = "app";
    static final String PASSWORD = "app-secret-pw";
    static final String DATABASE = "appdb";
    private static Upstream pg17;

    final EmbeddedPostgres postgres;

    private Upstream(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The shared PostgreSQL 17 of this JVM (started once, stopped at JVM exit). */
    static synchronized Upstream pg17() {
        if (pg17 == null) {
            pg17 = start(null);
        }
        return pg17;
    }

    /** A new server from a binaries resolver (e.g. PostgreSQL 14); the caller closes it. */
    static Upstream start(PgBinaryResolver resolver) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("ssl", "on")
                    .setDataDirectoryCustomizer(Upstream::writeHba);
            if (resolver != null) {
                builder.setPgBinaryResolver(resolver);
            }
            Upstream result = new Upstream(builder.start());
            result.superuser("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "SET password_encryption = 'md5'",
                    "CREATE ROLE md5user LOGIN PASSWORD 'md5-pw'",
                    "RESET password_encryption",
                    "CREATE ROLE pwuser LOGIN PASSWORD 'plain-pw'",
                    "GRANT " + USER + " TO md5user, pwuser",
                    "CREATE DATABASE " + DATABASE + " OWNER " + USER);
            return result;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeHba(File dataDirectory) {
        String hba = String.join("\n",
                "local all all trust",
                "host all postgres 127.0.0.1/32 trust",
                "host all md5user 127.0.0.1/32 md5",
                "host all pwuser 127.0.0.1/32 password",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256", "");
        try {
            Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), hba);
            copyTlsFile("/tls/proxy-cert.pem", dataDirectory.toPath().resolve("server.crt"));
            copyTlsFile("/tls/proxy-key.pem", dataDirectory.toPath().resolve("server.key"));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void copyTlsFile(String resource, java.nio.file.Path target) throws IOException {
        try (java.io.InputStream in = Upstream.class.getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    int port() {
        return postgres.getPort();
    }

    /** Runs statements as the superuser in database {@code postgres}. */
    void superuser(String... sql) {
        try (Connection connection = superuserConnection("postgres"); Statement statement =
                connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A direct (not proxied) superuser connection, to check what really happened upstream. */
    Connection superuserConnection(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + database, properties);
    }

    /** A direct connection as {@code app} to {@code appdb}. */
    Connection appConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE, USER, PASSWORD);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
