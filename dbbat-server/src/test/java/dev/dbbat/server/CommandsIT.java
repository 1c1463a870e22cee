package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.server.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot subcommands on the embedded store. */
class CommandsIT {
    @TempDir
    Path home;

    private ServerProcess run(String... args) {
        ServerProcess process = ServerProcess.start(home, Map.of(), args);
        assertThat(process.awaitExit(Duration.ofSeconds(120))).as(process.output()).isZero();
        return process;
    }

    @Test
    void reportsAndAppliesMigrations() {
        assertThat(run("db", "status").lines()).anySatisfy(line -> assertThat(line).matches("1\\s+initial schema\\s+"
                + "PENDING"));
        assertThat(run("db", "migrate").output()).contains("migration(s) applied");
        assertThat(run("db", "status").lines()).anySatisfy(line -> assertThat(line).matches("1\\s+initial schema\\s+"
                + "SUCCESS"));
        assertThat(run("db", "migrate").output()).contains("store schema is up to date");
        assertThat(home.resolve(".dbbat/pgdata/postmaster.pid")).doesNotExist();
    }

    @Test
    void printsHelp() {
        assertThat(run("--help").output()).contains("Usage: dbbat", "db migrate", "--api-addr");
    }
}
