package dev.dbbat.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The upstream PostgreSQL 17 (zonky binaries) on loopback, with SCRAM authentication for TCP clients, a
 * {@code bench} role and a pgbench-initialised {@code benchdb}.
 */
final class Upstream implements AutoCloseable {
    static final String USER = "bench";
    static final String PASSWORD = "bench-password-1";
    static final String DATABASE = "benchdb";

    private final EmbeddedPostgres postgres;

    private Upstream(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static Upstream start(int scale) throws IOException, SQLException, InterruptedException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (Boolean.getBoolean("bench.pgStatStatements")) {
            // for profiling by hand with --hold: which store statements cost the backends' CPU
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        EmbeddedPostgres postgres = builder
                .setServerConfig("max_connections", "2400")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        Upstream result = new Upstream(postgres);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            statement.execute("CREATE DATABASE dbbat_store_log");
            statement.execute("CREATE DATABASE dbbat_store_capture");
            statement.execute("CREATE DATABASE dbbat_store_nocache");
            Path hba;
            try (ResultSet rs = statement.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            // TCP clients other than the superuser must prove a SCRAM password, as production servers do.
            Files.writeString(hba, String.join("\n",
                    "local all all trust",
                    "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            statement.execute("SELECT pg_reload_conf()");
        }
        Processes.run(List.of("pgbench", "-i", "-q", "-s", Integer.toString(scale), "-h", "127.0.0.1", "-p",
                        Integer.toString(postgres.getPort()), "-U", USER, DATABASE),
                Map.of("PGPASSWORD", PASSWORD), Duration.ofMinutes(10));
        return result;
    }

    int port() {
        return postgres.getPort();
    }

    /** The postmaster's pid (the first line of {@code postmaster.pid} in the data directory). */
    long postmasterPid() throws SQLException, IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW data_directory")) {
            rs.next();
            return Long.parseLong(Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).trim());
        }
    }

    Target direct() {
        return new Target("direct", "127.0.0.1", port(), USER, PASSWORD, DATABASE);
    }

    /** A superuser DSN for DBBat's store, in its own database on this server. */
    String storeDsn(String database) {
        return "postgres://postgres@127.0.0.1:" + port() + "/" + database + "?sslmode=disable";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
