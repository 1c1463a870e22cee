package dev.dbbat.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.server.cli.CommandLine.Command;
import dev.dbbat.server.config.ConfigException;
import dev.dbbat.server.config.Flag;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void defaultsToServe() {
        assertThat(CommandLine.parse().command()).isEqualTo(Command.SERVE);
        assertThat(CommandLine.parse("serve").command()).isEqualTo(Command.SERVE);
    }

    @Test
    void parsesSubcommands() {
        assertThat(CommandLine.parse("db", "migrate").command()).isEqualTo(Command.DB_MIGRATE);
        assertThat(CommandLine.parse("db", "status").command()).isEqualTo(Command.DB_STATUS);
        assertThat(CommandLine.parse("version").command()).isEqualTo(Command.VERSION);
        assertThat(CommandLine.parse("--help").command()).isEqualTo(Command.HELP);
        assertThat(CommandLine.parse("db", "migrate", "-h").command()).isEqualTo(Command.HELP);
    }

    @Test
    void readsFlagsInEveryForm() {
        CommandLine line = CommandLine.parse("-a", ":1", "serve", "--dsn=postgres://x", "--listen-addr", ":2", "-c",
                "f.yaml", "--log-level", "debug");
        assertThat(line.flags()).containsExactly(
                new Flag.Value("-a", "DBB_LISTEN_API", ":1"),
                new Flag.Value("--dsn", "DBB_DSN", "postgres://x"),
                new Flag.Value("--listen-addr", "DBB_LISTEN_PG", ":2"),
                new Flag.Value("-c", "DBB_CONFIG", "f.yaml"),
                new Flag.Value("--log-level", "DBB_LOG_LEVEL", "debug"));
    }

    @Test
    void acceptsAnEmptyValueToDisableAListener() {
        assertThat(CommandLine.parse("--listen-addr=").flags()).containsExactly(
                new Flag.Value("--listen-addr", "DBB_LISTEN_PG", ""));
    }

    @Test
    void rejectsUnknownFlagsAndCommands() {
        assertThatThrownBy(() -> CommandLine.parse("--nope")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown flag --nope");
        assertThatThrownBy(() -> CommandLine.parse("db", "rollback")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown command 'db rollback'");
        assertThatThrownBy(() -> CommandLine.parse("--dsn")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs a value");
    }

    @Test
    void neverPrintsSecretFlagValues() {
        assertThat(CommandLine.parse("-k", "c2VjcmV0").flags().get(0).toString()).doesNotContain("c2VjcmV0");
    }
}
