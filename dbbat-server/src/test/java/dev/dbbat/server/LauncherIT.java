package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        return server;
    }

    @Test
    void runsOnTheEmbeddedStoreKeepsItsDataAndStopsPostgresOnSigterm() throws Exception {
        int apiPort = ServerProcess.freePort();
        long postmasterPid;
        try (ServerProcess first = startServer(apiPort)) {
            assertThat(first.output()).contains("embedded PostgreSQL initialised and started");
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
            assertThat(again.output()).contains("embedded PostgreSQL started").doesNotContain("initialised");
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
