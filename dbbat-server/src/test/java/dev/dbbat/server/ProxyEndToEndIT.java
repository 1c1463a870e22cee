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
 * {@code GET /api/v1/queries}, and a revoked grant ending the live session within 5 seconds.
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
    void proxiesAStatementAndShowsItInTheQueryLogThenEndsTheSessionWhenTheGrantIsRevoked() throws Exception {
        int apiPort = ServerProcess.freePort();
        int pgPort = ServerProcess.freePort();
        Map<String, String> env = new HashMap<>(ServerProcess.freeListeners(apiPort));
        env.put("DBB_LISTEN_PG", "127.0.0.1:" + pgPort);
        env.put("DBB_RUN_MODE", "test");
        env.put("DBB_HOME", home.resolve("dbbat-home").toString());
        try (ServerProcess server = ServerProcess.start(home, env)) {
            server.awaitLine(line -> line.contains("DBBat ") && line.contains(" started in "), Duration.ofSeconds(120));
            ApiClient admin = ApiClient.at(apiPort).basic("admin", "admintest");
            admin.awaitHealthy(Duration.ofSeconds(10));

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

            assertThat(server.terminate(Duration.ofSeconds(60))).isNotNegative();
        }
    }
}
