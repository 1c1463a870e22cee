package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbbat.server.testing.ApiClient;
import dev.dbbat.server.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar end to end, on the embedded store under a private HOME. */
class LauncherIT {
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path home;

    private Path pgdata() {
        return home.resolve(".dbbat").resolve("pgdata");
    }

    private ServerProcess startServer(int apiPort) {
        return startServer(apiPort, Map.of());
    }

    private ServerProcess startServer(int apiPort, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(ServerProcess.freeListeners(apiPort));
        env.putAll(extra);
        ServerProcess server = ServerProcess.start(home, env);
        server.awaitLine(line -> line.contains("DBBat ") && line.contains(" started in "), START);
        ApiClient.at(apiPort).awaitHealthy(Duration.ofSeconds(10));
        return server;
    }

    @Test
    void runsOnTheEmbeddedStoreKeepsItsDataAndStopsPostgresOnSigterm() throws Exception {
        int apiPort = ServerProcess.freePort();
        long postmasterPid;
        try (ServerProcess first = startServer(apiPort)) {
            assertThat(first.output()).contains("embedded PostgreSQL initialised and started");
            ApiClient anonymous = ApiClient.at(apiPort);
            ApiClient.Response health = anonymous.get("/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body().path("status").asText()).isEqualTo("healthy");
            assertThat(anonymous.get("/version").body().path("build_version").asText()).isNotEmpty();
            java.net.http.HttpResponse<String> ui = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + apiPort
                            + "/app/databases")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ui.statusCode()).isEqualTo(200);
            assertThat(ui.body()).contains("<base href=\"/app/\"");
            ApiClient.Response login = anonymous.post("/auth/login", Map.of("username", "admin", "password",
                    "admin"));
            assertThat(login.status()).isEqualTo(403);
            assertThat(login.body().path("error").path("code").asText()).isEqualTo("PASSWORD_CHANGE_REQUIRED");
            ApiClient admin = anonymous.basic("admin", "admin");
            ApiClient.Response created = admin.post("/users", Map.of("username", "kept-across-restarts",
                    "password", "Temp-pass-123", "roles", java.util.List.of("connector")));
            assertThat(created.status()).as(created.body().toString()).isBetween(200, 201);
            postmasterPid = Long.parseLong(Files.readAllLines(pgdata().resolve("postmaster.pid")).get(0).trim());
            assertThat(ProcessHandle.of(postmasterPid)).isPresent();

            // a second server on the same HOME fails fast with one clear line
            try (ServerProcess second = ServerProcess.start(home, ServerProcess.freeListeners(ServerProcess
                    .freePort()))) {
                assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
                assertThat(second.lines()).last().asString().startsWith("dbbat: another DBBat server is using "
                        + home.resolve(".dbbat") + " (lock held");
            }
            assertThat(first.isAlive()).isTrue();

            first.terminate(Duration.ofSeconds(60));
        }
        assertThat(pgdata().resolve("postmaster.pid")).doesNotExist();
        assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional
                .of(true));

        try (ServerProcess again = startServer(apiPort)) {
            assertThat(again.output()).contains("embedded PostgreSQL started").doesNotContain("initialised")
                    .doesNotContain("created the default user");
            ApiClient.Response users = ApiClient.at(apiPort).basic("admin", "admin").get("/users");
            assertThat(users.body().path("users").findValuesAsText("username"))
                    .containsExactlyInAnyOrder("admin", "kept-across-restarts");
            again.terminate(Duration.ofSeconds(60));
        }
        assertThat(pgdata().resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void recoversAfterAServerWasKilled() throws Exception {
        int apiPort = ServerProcess.freePort();
        long postmasterPid;
        try (ServerProcess crashed = startServer(apiPort)) {
            postmasterPid = Long.parseLong(Files.readAllLines(pgdata().resolve("postmaster.pid")).get(0).trim());
            crashed.kill();
        }
        assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive)).contains(true);
        try (ServerProcess next = startServer(apiPort, Map.of("DBB_LOG_FORMAT", "json"))) {
            assertThat(next.output()).contains("left running by a previous server");
            ObjectMapper json = new ObjectMapper();
            assertThat(next.lines()).isNotEmpty().allSatisfy(line -> {
                JsonNode node = json.readTree(line);
                assertThat(node.path("level").asText()).isNotEmpty();
                assertThat(node.has("formattedMessage")).isTrue();
            });
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional
                    .of(true));
            next.terminate(Duration.ofSeconds(60));
        }
        assertThat(pgdata().resolve("postmaster.pid")).doesNotExist();
    }
}
