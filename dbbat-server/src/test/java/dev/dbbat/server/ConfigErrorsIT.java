package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.server.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration value stops start-up with exit status 2 and one line naming the variable. */
class ConfigErrorsIT {

    @TempDir
    Path home;

    private ServerProcess launch(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(ServerProcess.freeListeners(ServerProcess.freePort()));
        env.putAll(extra);
        return ServerProcess.start(home, env, args);
    }

    private static String lastLine(ServerProcess server) {
        List<String> lines = server.lines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void exitsWithStatus2OnAnUnparsablePort() {
        try (ServerProcess server = launch(Map.of("DBB_LISTEN_API", ":abc"))) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(lastLine(server)).isEqualTo("dbbat: invalid DBB_LISTEN_API ':abc': port must be a number");
        }
    }

    @Test
    void exitsWithStatus2OnAKeyThatIsNot32Bytes() {
        String key = Base64.getEncoder().encodeToString(new byte[31]);
        try (ServerProcess server = launch(Map.of("DBB_KEY", key))) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(lastLine(server)).isEqualTo("dbbat: invalid DBB_KEY: must decode to 32 bytes, got 31");
            assertThat(server.output()).doesNotContain(key);
        }
    }

    @Test
    void exitsWithStatus2OnAnUnreachableDsnWithoutPrintingItsPassword() {
        int closedPort = ServerProcess.freePort();
        try (ServerProcess server = launch(Map.of("DBB_DSN",
                "postgres://dbbat:s3cret-pw@127.0.0.1:" + closedPort + "/dbbat"))) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(lastLine(server)).startsWith("dbbat: invalid DBB_DSN: cannot connect to the store at "
                    + "postgres://dbbat:***@127.0.0.1:" + closedPort + "/dbbat");
            assertThat(server.output()).doesNotContain("s3cret-pw");
        }
    }

    @Test
    void namesTheFlagWhenTheBadValueCameFromTheCommandLine() {
        try (ServerProcess server = launch(Map.of(), "--api-addr", "localhost:99999")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(lastLine(server))
                    .isEqualTo("dbbat: invalid --api-addr 'localhost:99999': port must be between 0 and 65535");
        }
    }

    @Test
    void printsTheVersion() {
        try (ServerProcess server = launch(Map.of(), "version")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.output()).matches("dbbat \\S+ \\(commit \\S+, built \\S+\\)");
        }
    }
}
