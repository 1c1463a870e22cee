package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.server.testing.ApiClient;
import dev.dbbat.server.testing.ServerProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product: the real jar in test run mode (fresh schema), a target PostgreSQL, a database and a grant made
 * through the API, pgjdbc through the PostgreSQL proxy (TLS with the generated certificate), the statement visible in
 * {@code GET /api/v1/queries}, a revoked grant ending the live session within 5 seconds, and query and byte quotas.
 */
class ProxyEndToEndIT {
    private static EmbeddedPostgres target;

    @TempDir
    Path home;

    @BeforeAll
    static void startTarget() throws Exception {
        target = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        try (Connection connection = target.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE planets (name TEXT PRIMARY KEY, moons INT)");
            statement.execute("INSERT INTO planets VALUES ('earth', 1), ('mars', 2)");
        }
    }

    @AfterAll
    static void stopTarget() throws Exception {
        if (target != null) {
            target.close();
        }
    }

    private static Connection connectThroughProxy(int pgPort, String database, String user, String password)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("sslmode", "require");
        properties.setProperty("connectTimeout", "10");
        // startup parameters instead of pgjdbc's initial SET statement, so the test counts only its own statements
        properties.setProperty("assumeMinServerVersion", "16");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database, properties);
    }

    /** psql through the proxy with exactly {@code version}: its {@code \conninfo} and a query's output. */
    private static String psqlOverTls(int pgPort, String version) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/psql", "-X", "-At", "-h", "127.0.0.1", "-p",
                String.valueOf(pgPort), "-U", "connector", "-d", "planets", "-c", "\\conninfo", "-c",
                "SELECT 'moons=' || moons FROM planets WHERE name = 'mars'").redirectErrorStream(true);
        builder.environment().putAll(Map.of("PGPASSWORD", "connector", "PGSSLMODE", "require",
                "PGSSLMINPROTOCOLVERSION", version, "PGSSLMAXPROTOCOLVERSION", version, "PGCONNECT_TIMEOUT", "10"));
        Process psql = builder.start();
        try {
            String output = new String(psql.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(psql.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(psql.exitValue()).as(output).isZero();
            return output;
        } finally {
            psql.destroyForcibly();
        }
    }

    private static JsonNode awaitQuery(ApiClient admin, String sqlFragment, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            ApiClient.Response queries = admin.get("/queries");
            last = queries.body();
            for (JsonNode query : queries.body().path("queries")) {
                if (query.path("sql_text").asText().contains(sqlFragment)) {
                    return query;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no query containing '" + sqlFragment + "' within " + timeout + ": " + last);
    }

    private static String userId(ApiClient admin, String username) {
        for (JsonNode user : admin.get("/users").body().path("users")) {
            if (user.path("username").asText().equals(username)) {
                return user.path("uid").asText();
            }
        }
        throw new AssertionError("no user " + username);
    }

    @Test
    void proxiesStatementsRecordsThemAndEnforcesGrantRevocationAndQuotas() throws Exception {
        int apiPort = ServerProcess.freePort();
        int pgPort = ServerProcess.freePort();
        Map<String, String> env = new HashMap<>(ServerProcess.freeListeners(apiPort));
        env.put("DBB_LISTEN_PG", "127.0.0.1:" + pgPort);
        env.put("DBB_RUN_MODE", "test");
        env.put("DBB_HOME", home.resolve("dbbat-home").toString());
        env.put("DBB_SLACK_AUTH_CLIENT_ID", "e2e-client");
        env.put("DBB_SLACK_AUTH_CLIENT_SECRET", "e2e-secret-never-logged");
        try (ServerProcess server = ServerProcess.start(home, env)) {
            server.awaitLine(line -> line.contains("DBBat ") && line.contains(" started in "), Duration.ofSeconds(120));
            ApiClient admin = ApiClient.at(apiPort).basic("admin", "admintest");
            admin.awaitHealthy(Duration.ofSeconds(10));
            assertThat(admin.get("/auth/providers").body().toString()).contains("slack");

            ApiClient.Response database = admin.post("/databases", Map.of("name", "planets", "description",
                    "e2e target", "protocol", "postgresql", "host", "127.0.0.1", "port", target.getPort(),
                    "database_name", "postgres", "username", "postgres", "password", "unused-trust-auth",
                    "ssl_mode", "disable"));
            assertThat(database.status()).as(database.body().toString()).isBetween(200, 201);
            String databaseId = database.body().path("uid").asText();
            String connectorId = userId(admin, "connector");
            ApiClient.Response grant = admin.post("/grants", Map.of("user_id", connectorId, "database_id",
                    databaseId, "controls", List.of(), "starts_at", Instant.now().minusSeconds(60).toString(),
                    "expires_at", Instant.now().plusSeconds(3600).toString()));
            assertThat(grant.status()).as(grant.body().toString()).isBetween(200, 201);
            String grantId = grant.body().path("uid").asText();

            try (Connection connection = connectThroughProxy(pgPort, "planets", "connector", "connector");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT moons FROM planets WHERE name = 'mars'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
            JsonNode logged = awaitQuery(admin, "SELECT moons FROM planets", Duration.ofSeconds(20));
            assertThat(logged.path("error").isNull() || logged.path("error").isMissingNode()).isTrue();

            // the jar's TLS engine: BoringSSL on Linux x86-64/aarch64 (natives shaded in), TLS 1.2 and 1.3 clients
            String arch = System.getProperty("os.arch");
            if (System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64")
                    || arch.equals("aarch64"))) {
                assertThat(server.output()).contains("TLS for dbbat-pg-proxy: OpenSSL (BoringSSL) engine");
            }
            for (String version : List.of("TLSv1.2", "TLSv1.3")) {
                assertThat(psqlOverTls(pgPort, version)).contains("SSL connection (protocol: " + version + ",")
                        .contains("moons=2");
            }

            try (Connection live = connectThroughProxy(pgPort, "planets", "connector", "connector");
                    Statement statement = live.createStatement()) {
                statement.execute("SELECT 1");
                assertThat(admin.delete("/grants/" + grantId).status()).isBetween(200, 204);
                long revokedAt = System.nanoTime();
                assertThatThrownBy(() -> {
                    while (System.nanoTime() - revokedAt < Duration.ofSeconds(10).toNanos()) {
                        statement.execute("SELECT 1");
                        Thread.sleep(200);
                    }
                }).isInstanceOf(SQLException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(6));
            }
            server.awaitLine(line -> line.contains("access grant revoked: terminating the session of connector"),
                    Duration.ofSeconds(5));
            assertThatThrownBy(() -> connectThroughProxy(pgPort, "planets", "connector", "connector").close())
                    .isInstanceOf(SQLException.class);

            // a login a moment ago filled the login cache (1 s): a revocation through the API still reaches the
            // very next login
            ApiClient.Response renewed = admin.post("/grants", Map.of("user_id", connectorId, "database_id",
                    databaseId, "controls", List.of(), "starts_at", Instant.now().minusSeconds(60).toString(),
                    "expires_at", Instant.now().plusSeconds(3600).toString()));
            assertThat(renewed.status()).as(renewed.body().toString()).isBetween(200, 201);
            connectThroughProxy(pgPort, "planets", "connector", "connector").close();
            connectThroughProxy(pgPort, "planets", "connector", "connector").close();
            assertThat(admin.delete("/grants/" + renewed.body().path("uid").asText()).status()).isBetween(200, 204);
            assertThatThrownBy(() -> connectThroughProxy(pgPort, "planets", "connector", "connector").close())
                    .isInstanceOf(SQLException.class);

            // a query quota is shared by the sessions of one grant
            String viewerId = userId(admin, "viewer");
            ApiClient.Response limited = admin.post("/grants", Map.of("user_id", viewerId, "database_id", databaseId,
                    "controls", List.of("read_only"), "starts_at", Instant.now().minusSeconds(60).toString(),
                    "expires_at", Instant.now().plusSeconds(3600).toString(), "max_query_counts", 3));
            assertThat(limited.status()).as(limited.body().toString()).isBetween(200, 201);
            try (Connection first = connectThroughProxy(pgPort, "planets", "viewer", "viewer");
                    Connection second = connectThroughProxy(pgPort, "planets", "viewer", "viewer");
                    Statement one = first.createStatement();
                    Statement two = second.createStatement()) {
                one.execute("SELECT 1");
                two.execute("SELECT 2");
                one.execute("SELECT 3");
                assertThatThrownBy(() -> two.execute("SELECT 4")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("query limit exceeded")
                        .satisfies(ex -> assertThat(((SQLException) ex).getSQLState()).isEqualTo("54000"));
            }

            // a byte quota cuts a result that crosses it, then refuses new statements
            ApiClient.Response bytesLimited = admin.post("/grants", Map.of("user_id", userId(admin, "admin"),
                    "database_id", databaseId, "controls", List.of(), "starts_at",
                    Instant.now().minusSeconds(60).toString(), "expires_at", Instant.now().plusSeconds(3600)
                            .toString(), "max_bytes_transferred", 200_000));
            assertThat(bytesLimited.status()).as(bytesLimited.body().toString()).isBetween(200, 201);
            try (Connection connection = connectThroughProxy(pgPort, "planets", "admin", "admintest");
                    Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> {
                    try (ResultSet rows = statement.executeQuery(
                            "SELECT g, repeat('x', 100) FROM generate_series(1, 100000) AS g")) {
                        while (rows.next()) {
                            rows.getString(2);
                        }
                    }
                }).isInstanceOf(SQLException.class).hasMessageContaining("data transfer limit exceeded");
                assertThatThrownBy(() -> statement.execute("SELECT 1")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("data transfer limit exceeded");
            }

            assertThat(server.terminate(Duration.ofSeconds(60))).isNotNegative();
            assertThat(server.output()).doesNotContain("e2e-secret-never-logged", "admintest");
        }
    }
}
