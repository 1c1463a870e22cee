package dev.dbbat.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private ServerConfig load(Map<String, String> env, Flag.Value... flags) {
        return ConfigLoader.load(List.of(flags), env, dir);
    }

    @Test
    void appliesSeedDefaults() {
        ServerConfig config = load(Map.of());
        assertThat(config.embedded()).isTrue();
        assertThat(config.listenPg()).isEqualTo(ListenAddress.parse(":5434"));
        assertThat(config.listenOracle()).isEqualTo(ListenAddress.parse(":1522"));
        assertThat(config.listenMysql()).isEqualTo(ListenAddress.parse(":3307"));
        assertThat(config.listenApi()).isEqualTo(ListenAddress.parse(":4200"));
        assertThat(config.runMode()).isEqualTo(RunMode.PRODUCTION);
        assertThat(config.logLevel()).isEqualTo("INFO");
        assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(config.baseUrl()).isEqualTo("/app");
        assertThat(config.queryStorage()).isEqualTo(new ServerConfig.QueryStorage(true, 100_000, 104_857_600));
        assertThat(config.rateLimit()).isEqualTo(new ServerConfig.RateLimit(true, 60, 10, 10));
        assertThat(config.hash()).isEqualTo(new ServerConfig.Hash("default", 64, 1, 4));
        assertThat(config.authCache()).isEqualTo(new ServerConfig.AuthCache(true, 300, 10_000, 1000));
        assertThat(config.slackAuth().enabled()).isFalse();
        assertThat(config.slackAuth().defaultRole()).isEqualTo("connector");
        assertThat(config.dump()).isEqualTo(new ServerConfig.Dump(java.util.Optional.empty(), 10_485_760,
                Duration.ofHours(24)));
        assertThat(config.demoTarget()).isEqualTo(new ServerConfig.DemoTarget("demo", "demo", "localhost", "demo"));
        assertThat(config.home()).isEqualTo(dir.resolve(".dbbat").toAbsolutePath());
        assertThat(config.pgTls().disable()).isFalse();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void readsEnvironmentVariables() {
        ServerConfig config = load(Map.of("DBB_DSN", "postgres://u:p@db:5433/store", "DBB_LISTEN_ORA", "",
                "DBB_RUN_MODE", "test", "DBB_LOG_LEVEL", "Warning", "DBB_LOG_FORMAT", "JSON",
                "DBB_QUERY_STORAGE_MAX_RESULT_ROWS", "5", "DBB_DUMP_RETENTION", "1h30m", "DBB_HOME",
                dir.resolve("h").toString(), "DBB_EMBEDDED_PG_PORT", "15432"));
        assertThat(config.dsn()).get().satisfies(dsn -> {
            assertThat(dsn.host()).isEqualTo("db");
            assertThat(dsn.port()).isEqualTo(5433);
        });
        assertThat(config.listenOracle().enabled()).isFalse();
        assertThat(config.runMode()).isEqualTo(RunMode.TEST);
        assertThat(config.hash().preset()).isEqualTo("minimal");
        assertThat(config.logLevel()).isEqualTo("WARN");
        assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(config.queryStorage().maxResultRows()).isEqualTo(5);
        assertThat(config.dump().retention()).isEqualTo(Duration.ofMinutes(90));
        assertThat(config.home()).isEqualTo(dir.resolve("h"));
        assertThat(config.embeddedPgPort()).hasValue(15432);
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheConfigFile() throws IOException {
        Path file = dir.resolve("dbbat.yaml");
        Files.writeString(file, """
                listen_api: "127.0.0.1:1111"
                listen_pg: "127.0.0.1:2222"
                listen_mysql: "127.0.0.1:3333"
                query_storage:
                  store_results: false
                mysql:
                  tls:
                    disable: true
                """);
        ServerConfig config = load(Map.of("DBB_CONFIG", file.toString(), "DBB_LISTEN_PG", ":4444", "DBB_LISTEN_API",
                ":5555"), new Flag.Value("-a", "DBB_LISTEN_API", ":6666"));
        assertThat(config.listenApi().port()).isEqualTo(6666);
        assertThat(config.listenPg().port()).isEqualTo(4444);
        assertThat(config.listenMysql()).isEqualTo(new ListenAddress("127.0.0.1", 3333));
        assertThat(config.queryStorage().storeResults()).isFalse();
        assertThat(config.mysqlTls().disable()).isTrue();
        assertThat(config.configFile()).contains(file);
    }

    @Test
    void readsUnquotedPortOnlyAddressesAndNestedPgTlsInYaml() throws IOException {
        Path file = dir.resolve("dbbat.yml");
        Files.writeString(file, "listen_api: :4201\nlisten_ora:\npg:\n  tls:\n    disable: yes\n");
        ServerConfig config = load(Map.of("DBB_CONFIG", file.toString()));
        assertThat(config.listenApi()).isEqualTo(new ListenAddress("", 4201));
        assertThat(config.listenOracle().enabled()).isFalse();
        assertThat(config.pgTls().disable()).isTrue();
    }

    @Test
    void readsJsonAndTomlConfigFiles() throws IOException {
        Path json = dir.resolve("c.json");
        Files.writeString(json, "{\"rate_limit\": {\"burst\": 3}, \"base_url\": \"ui/\"}");
        ServerConfig fromJson = load(Map.of(), new Flag.Value("--config", "DBB_CONFIG", json.toString()));
        assertThat(fromJson.rateLimit().burst()).isEqualTo(3);
        assertThat(fromJson.baseUrl()).isEqualTo("/ui");

        Path toml = dir.resolve("c.toml");
        Files.writeString(toml, "log_level = \"debug\"\n[auth_cache]\nttl_seconds = 7\n");
        ServerConfig fromToml = load(Map.of("DBB_CONFIG", toml.toString()));
        assertThat(fromToml.logLevel()).isEqualTo("DEBUG");
        assertThat(fromToml.authCache().ttlSeconds()).isEqualTo(7);
    }

    @Test
    void warnsAboutUnknownKeysAndVariables() throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "listen_apy: \":1\"\n");
        ServerConfig config = load(Map.of("DBB_CONFIG", file.toString(), "DBB_LISTEN_APY", ":1"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w).contains("listen_apy"))
                .anySatisfy(w -> assertThat(w).contains("DBB_LISTEN_APY"));
    }

    @Test
    void rejectsUnparsablePortNamingTheVariable() {
        assertThatThrownBy(() -> load(Map.of("DBB_LISTEN_API", ":abc"))).isInstanceOf(ConfigException.class)
                .hasMessage("invalid DBB_LISTEN_API ':abc': port must be a number");
    }

    @Test
    void namesTheFlagWhenTheBadValueCameFromTheCommandLine() {
        assertThatThrownBy(() -> load(Map.of(), new Flag.Value("--api-addr", "DBB_LISTEN_API", "x")))
                .hasMessage("invalid --api-addr 'x': expected :port or host:port");
    }

    @Test
    void namesTheConfigFileKeyWhenTheBadValueCameFromTheFile() throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "rate_limit:\n  enabled: maybe\n");
        assertThatThrownBy(() -> load(Map.of("DBB_CONFIG", file.toString())))
                .hasMessageStartingWith("invalid rate_limit_enabled (config file " + file + ")");
    }

    @Test
    void rejectsKeysThatAreNot32BytesWithoutEchoingThem() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> load(Map.of("DBB_KEY", shortKey)))
                .hasMessage("invalid DBB_KEY: must decode to 32 bytes, got 16");
        assertThatThrownBy(() -> load(Map.of("DBB_KEY", "!!!"))).hasMessage("invalid DBB_KEY: not valid base64");
        assertThat(load(Map.of("DBB_KEY", KEY)).key()).contains(KEY);
    }

    @Test
    void rejectsKeyFilesThatAreNot32RawBytes() throws IOException {
        Path file = dir.resolve("key");
        Files.writeString(file, KEY + "\n");
        assertThatThrownBy(() -> load(Map.of("DBB_KEYFILE", file.toString())))
                .hasMessageStartingWith("invalid DBB_KEYFILE").hasMessageContaining("32 raw bytes");
        Files.write(file, new byte[32]);
        assertThat(load(Map.of("DBB_KEYFILE", file.toString())).keyFile()).contains(file);
    }

    @Test
    void parsesBooleansAndIntegersStrictly() {
        assertThatThrownBy(() -> load(Map.of("DBB_RATE_LIMIT_ENABLED", "sure")))
                .hasMessage("invalid DBB_RATE_LIMIT_ENABLED 'sure': expected true or false");
        assertThatThrownBy(() -> load(Map.of("DBB_AUTH_CACHE_MAX_SIZE", "10k")))
                .hasMessage("invalid DBB_AUTH_CACHE_MAX_SIZE '10k': must be a whole number");
        assertThatThrownBy(() -> load(Map.of("DBB_RATE_LIMIT_REQUESTS_PER_MINUTE", "0")))
                .hasMessage("invalid DBB_RATE_LIMIT_REQUESTS_PER_MINUTE '0': must be at least 1");
        assertThatThrownBy(() -> load(Map.of("DBB_EMBEDDED_PG_PORT", "99999")))
                .hasMessageStartingWith("invalid DBB_EMBEDDED_PG_PORT");
    }

    @Test
    void rejectsMalformedDsnWithoutShowingThePassword() {
        assertThatThrownBy(() -> load(Map.of("DBB_DSN", "mysql://u:hunter2@h/d")))
                .hasMessageStartingWith("invalid DBB_DSN: ").hasMessageNotContaining("hunter2");
    }

    @Test
    void fallsBackToInfoOnAnInvalidLogLevelWithAWarning() {
        ServerConfig config = load(Map.of("DBB_LOG_LEVEL", "loud"));
        assertThat(config.logLevel()).isEqualTo("INFO");
        assertThat(config.warnings()).singleElement().asString().contains("DBB_LOG_LEVEL");
    }

    @Test
    void normalisesTheBaseUrl() {
        assertThat(ConfigLoader.normaliseBaseUrl("/")).isEqualTo("/app");
        assertThat(ConfigLoader.normaliseBaseUrl("")).isEqualTo("/app");
        assertThat(ConfigLoader.normaliseBaseUrl("console/")).isEqualTo("/console");
        assertThat(ConfigLoader.normaliseBaseUrl("/a/b//")).isEqualTo("/a/b");
    }

    @Test
    void requiresBothSlackClientIdAndSecret() {
        assertThatThrownBy(() -> load(Map.of("DBB_SLACK_AUTH_CLIENT_ID", "id")))
                .hasMessage("invalid DBB_SLACK_AUTH_CLIENT_ID: DBB_SLACK_AUTH_CLIENT_SECRET must be set too (set both "
                        + "or neither)");
        assertThat(load(Map.of("DBB_SLACK_AUTH_CLIENT_ID", "id", "DBB_SLACK_AUTH_CLIENT_SECRET", "s")).slackAuth()
                .enabled()).isTrue();
    }

    @Test
    void rejectsABaseUrlUnderTheApi() {
        assertThatThrownBy(() -> load(Map.of("DBB_BASE_URL", "/api/ui")))
                .hasMessage("invalid DBB_BASE_URL '/api/ui': must not be under /api (the REST API lives there)");
    }

    @Test
    void requiresBothTlsFilesOrNeither() throws IOException {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertThatThrownBy(() -> load(Map.of("DBB_PG_TLS_CERT_FILE", cert.toString())))
                .hasMessageContaining("DBB_PG_TLS_KEY_FILE must be set too");
        assertThatThrownBy(() -> load(Map.of("DBB_MYSQL_TLS_KEY_FILE", cert.toString())))
                .hasMessageContaining("DBB_MYSQL_TLS_CERT_FILE must be set too");
    }

    @Test
    void redactsSecretsInToString() {
        Map<String, String> env = new HashMap<>();
        env.put("DBB_DSN", "postgres://u:hunter2@db/store");
        env.put("DBB_KEY", KEY);
        env.put("DBB_SLACK_AUTH_CLIENT_ID", "id");
        env.put("DBB_SLACK_AUTH_CLIENT_SECRET", "slack-secret");
        env.put("DBB_DEMO_TARGET_DB", "demo:demopw@h/d");
        String text = load(env).toString();
        assertThat(text).doesNotContain("hunter2", KEY, "slack-secret", "demopw").contains("u:***@db");
    }

    @Test
    void rejectsUnknownRunModesAndRoles() {
        assertThatThrownBy(() -> load(Map.of("DBB_RUN_MODE", "prod2"))).hasMessageStartingWith("invalid DBB_RUN_MODE");
        assertThatThrownBy(() -> load(Map.of("DBB_SLACK_AUTH_DEFAULT_ROLE", "root")))
                .hasMessageStartingWith("invalid DBB_SLACK_AUTH_DEFAULT_ROLE");
    }
}
