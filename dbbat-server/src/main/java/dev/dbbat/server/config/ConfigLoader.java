package dev.dbbat.server.config;

import dev.dbbat.server.config.ServerConfig.AuthCache;
import dev.dbbat.server.config.ServerConfig.DemoTarget;
import dev.dbbat.server.config.ServerConfig.Dump;
import dev.dbbat.server.config.ServerConfig.Hash;
import dev.dbbat.server.config.ServerConfig.QueryStorage;
import dev.dbbat.server.config.ServerConfig.RateLimit;
import dev.dbbat.server.config.ServerConfig.SlackAuth;
import dev.dbbat.server.config.ServerConfig.Tls;
import dev.dbbat.store.PostgresDsn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link ServerConfig} from, in decreasing precedence: command-line flags, {@code DBB_*} environment
 * variables, the config file ({@code --config} or {@code DBB_CONFIG}), and built-in defaults (behaviour.md §2).
 * Every malformed value raises a {@link ConfigException} naming the variable (or flag, or config file key) it came
 * from. Stateless; does not log (warnings are returned in {@link ServerConfig#warnings()}).
 */
public final class ConfigLoader {

    /** Every variable this server knows, with its default ({@code null} = unset). */
    static final Map<String, String> DEFAULTS = defaults();

    private static final Set<String> SECRETS = Set.of("DBB_KEY", "DBB_SLACK_AUTH_CLIENT_SECRET");

    private final Map<String, Source> values = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /** Where a value came from, and how to name it in an error. */
    private record Source(String value, String name) {}

    private ConfigLoader() {}

    private static Map<String, String> defaults() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("DBB_DSN", null);
        result.put("DBB_LISTEN_PG", ":5434");
        result.put("DBB_LISTEN_ORA", ":1522");
        result.put("DBB_LISTEN_MYSQL", ":3307");
        result.put("DBB_LISTEN_API", ":4200");
        result.put("DBB_KEY", null);
        result.put("DBB_KEYFILE", null);
        result.put("DBB_CONFIG", null);
        result.put("DBB_RUN_MODE", "");
        result.put("DBB_DEMO_TARGET_DB", "demo:demo@localhost/demo");
        result.put("DBB_LOG_LEVEL", "info");
        result.put("DBB_LOG_FORMAT", "text");
        result.put("DBB_BASE_URL", "/app");
        result.put("DBB_REDIRECTS", null);
        result.put("DBB_QUERY_STORAGE_STORE_RESULTS", "true");
        result.put("DBB_QUERY_STORAGE_MAX_RESULT_ROWS", "100000");
        result.put("DBB_QUERY_STORAGE_MAX_RESULT_BYTES", "104857600");
        result.put("DBB_RATE_LIMIT_ENABLED", "true");
        result.put("DBB_RATE_LIMIT_REQUESTS_PER_MINUTE", "60");
        result.put("DBB_RATE_LIMIT_REQUESTS_PER_MINUTE_ANON", "10");
        result.put("DBB_RATE_LIMIT_BURST", "10");
        result.put("DBB_HASH_PRESET", null);
        result.put("DBB_HASH_MEMORY_MB", null);
        result.put("DBB_HASH_TIME", null);
        result.put("DBB_HASH_THREADS", null);
        result.put("DBB_AUTH_CACHE_ENABLED", "true");
        result.put("DBB_AUTH_CACHE_TTL_SECONDS", "300");
        result.put("DBB_AUTH_CACHE_MAX_SIZE", "10000");
        result.put("DBB_AUTH_CACHE_LOGIN_TTL_MS", "1000");
        result.put("DBB_SLACK_AUTH_CLIENT_ID", null);
        result.put("DBB_SLACK_AUTH_CLIENT_SECRET", null);
        result.put("DBB_SLACK_AUTH_TEAM_ID", null);
        result.put("DBB_SLACK_AUTH_AUTO_CREATE_USERS", "true");
        result.put("DBB_SLACK_AUTH_DEFAULT_ROLE", "connector");
        result.put("DBB_DUMP_DIR", null);
        result.put("DBB_DUMP_MAX_SIZE", "10485760");
        result.put("DBB_DUMP_RETENTION", "24h");
        result.put("DBB_MYSQL_TLS_DISABLE", "false");
        result.put("DBB_MYSQL_TLS_CERT_FILE", null);
        result.put("DBB_MYSQL_TLS_KEY_FILE", null);
        result.put("DBB_PG_TLS_DISABLE", "false");
        result.put("DBB_PG_TLS_CERT_FILE", null);
        result.put("DBB_PG_TLS_KEY_FILE", null);
        result.put("DBB_PG_UPSTREAM_REUSE", "true");
        result.put("DBB_HOME", null);
        result.put("DBB_EMBEDDED_PG_PORT", null);
        return java.util.Collections.unmodifiableMap(result);
    }

    /**
     * Loads and validates the configuration.
     *
     * @param flags command-line values keyed by variable name ({@code DBB_LISTEN_API}), each with the flag it came
     *     from (see {@link Flag})
     * @param env the process environment
     * @param userHome the user's home directory ({@code user.home})
     * @throws ConfigException on the first malformed value
     */
    public static ServerConfig load(List<Flag.Value> flags, Map<String, String> env, Path userHome) {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(userHome, "userHome");
        ConfigLoader loader = new ConfigLoader();
        loader.layer(flags, env);
        return loader.build(userHome);
    }

    private void layer(List<Flag.Value> flags, Map<String, String> env) {
        Optional<Source> configPath = flag(flags, "DBB_CONFIG").or(() -> envValue(env, "DBB_CONFIG"));
        configPath.filter(source -> !source.value().isBlank()).ifPresent(source -> {
            Path path = Paths.get(source.value().trim());
            for (Map.Entry<String, String> entry : ConfigFile.read(path, source.name()).entrySet()) {
                String key = entry.getKey();
                String shown = key.substring(4).toLowerCase(Locale.ROOT) + " (config file " + path + ")";
                if (!DEFAULTS.containsKey(key) || key.equals("DBB_CONFIG")) {
                    warnings.add("unknown key " + shown + " ignored");
                    continue;
                }
                values.put(key, new Source(entry.getValue(), shown));
            }
            values.put("DBB_CONFIG", source);
        });
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, String> entry : env.entrySet()) {
            if (!entry.getKey().startsWith("DBB_")) {
                continue;
            }
            if (DEFAULTS.containsKey(entry.getKey())) {
                values.put(entry.getKey(), new Source(entry.getValue(), entry.getKey()));
            } else {
                unknown.add(entry.getKey());
            }
        }
        unknown.forEach(name -> warnings.add("unknown environment variable " + name + " ignored"));
        for (Flag.Value each : flags) {
            values.put(each.variable(), new Source(each.value(), each.flag()));
        }
    }

    private static Optional<Source> flag(List<Flag.Value> flags, String variable) {
        Source result = null;
        for (Flag.Value each : flags) {
            if (each.variable().equals(variable)) {
                result = new Source(each.value(), each.flag());
            }
        }
        return Optional.ofNullable(result);
    }

    private static Optional<Source> envValue(Map<String, String> env, String variable) {
        return Optional.ofNullable(env.get(variable)).map(value -> new Source(value, variable));
    }

    private ServerConfig build(Path userHome) {
        RunMode runMode = runMode();
        return new ServerConfig(
                dsn(),
                address("DBB_LISTEN_PG"),
                address("DBB_LISTEN_ORA"),
                address("DBB_LISTEN_MYSQL"),
                address("DBB_LISTEN_API"),
                key(),
                keyFile(),
                optional("DBB_CONFIG").map(Paths::get),
                runMode,
                demoTarget(),
                logLevel(),
                logFormat(),
                baseUrl(),
                optional("DBB_REDIRECTS"),
                new QueryStorage(bool("DBB_QUERY_STORAGE_STORE_RESULTS"),
                        longValue("DBB_QUERY_STORAGE_MAX_RESULT_ROWS", 0),
                        longValue("DBB_QUERY_STORAGE_MAX_RESULT_BYTES", 0)),
                new RateLimit(bool("DBB_RATE_LIMIT_ENABLED"), intValue("DBB_RATE_LIMIT_REQUESTS_PER_MINUTE", 1),
                        intValue("DBB_RATE_LIMIT_REQUESTS_PER_MINUTE_ANON", 1), intValue("DBB_RATE_LIMIT_BURST", 0)),
                hash(runMode),
                new AuthCache(bool("DBB_AUTH_CACHE_ENABLED"), intValue("DBB_AUTH_CACHE_TTL_SECONDS", 1),
                        intValue("DBB_AUTH_CACHE_MAX_SIZE", 1), intValue("DBB_AUTH_CACHE_LOGIN_TTL_MS", 0)),
                slackAuth(),
                new Dump(optional("DBB_DUMP_DIR").map(Paths::get), longValue("DBB_DUMP_MAX_SIZE", 1), retention()),
                tls("DBB_MYSQL_TLS"),
                tls("DBB_PG_TLS"),
                bool("DBB_PG_UPSTREAM_REUSE"),
                home(userHome),
                embeddedPgPort(),
                warnings);
    }

    // ---- raw access -------------------------------------------------------------------------------------------

    /** The effective text of a variable, or its default; {@code null} when unset. */
    private String raw(String variable) {
        Source source = values.get(variable);
        return source == null ? DEFAULTS.get(variable) : source.value();
    }

    /** How to name a variable in an error: the flag or config key it came from, else the variable. */
    private String nameOf(String variable) {
        Source source = values.get(variable);
        return source == null ? variable : source.name();
    }

    /** A trimmed value, empty when unset or blank. */
    private Optional<String> optional(String variable) {
        String value = raw(variable);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** A trimmed value that has a default (blank means the default). */
    private String withDefault(String variable) {
        return optional(variable).orElse(Objects.requireNonNullElse(DEFAULTS.get(variable), ""));
    }

    private ConfigException invalid(String variable, String value, String reason) {
        return ConfigException.invalid(nameOf(variable), SECRETS.contains(variable) ? null : value, reason);
    }

    // ---- typed values -----------------------------------------------------------------------------------------

    private boolean bool(String variable) {
        String value = withDefault(variable);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw invalid(variable, value, "expected true or false");
        };
    }

    private long longValue(String variable, long min) {
        String value = withDefault(variable);
        long result;
        try {
            result = Long.parseLong(value);
        } catch (NumberFormatException ex) {
            throw invalid(variable, value, "must be a whole number");
        }
        if (result < min) {
            throw invalid(variable, value, "must be at least " + min);
        }
        return result;
    }

    private int intValue(String variable, int min) {
        long result = longValue(variable, min);
        if (result > Integer.MAX_VALUE) {
            throw invalid(variable, withDefault(variable), "must be at most " + Integer.MAX_VALUE);
        }
        return (int) result;
    }

    private ListenAddress address(String variable) {
        String value = raw(variable);
        try {
            return ListenAddress.parse(value == null ? "" : value);
        } catch (IllegalArgumentException ex) {
            throw invalid(variable, value, ex.getMessage());
        }
    }

    private Optional<PostgresDsn> dsn() {
        Optional<String> value = optional("DBB_DSN");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PostgresDsn.parse(value.get()));
        } catch (IllegalArgumentException ex) {
            // the DSN may hold a password: never echo it
            throw ConfigException.invalid(nameOf("DBB_DSN"), null, ex.getMessage());
        }
    }

    private Optional<String> key() {
        Optional<String> value = optional("DBB_KEY");
        value.ifPresent(text -> {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException ex) {
                throw invalid("DBB_KEY", null, "not valid base64");
            }
            if (decoded.length != 32) {
                throw invalid("DBB_KEY", null, "must decode to 32 bytes, got " + decoded.length);
            }
            java.util.Arrays.fill(decoded, (byte) 0);
        });
        return value;
    }

    private Optional<Path> keyFile() {
        Optional<String> value = optional("DBB_KEYFILE");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path path = Paths.get(value.get());
        long size;
        try {
            size = Files.size(path);
        } catch (IOException ex) {
            throw invalid("DBB_KEYFILE", value.get(), "cannot read the file");
        }
        if (size != 32) {
            throw invalid("DBB_KEYFILE", value.get(), "must hold exactly 32 raw bytes, holds " + size);
        }
        return Optional.of(path);
    }

    private RunMode runMode() {
        String value = withDefault("DBB_RUN_MODE").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "production", "prod" -> RunMode.PRODUCTION;
            case "test" -> RunMode.TEST;
            case "demo" -> RunMode.DEMO;
            default -> throw invalid("DBB_RUN_MODE", raw("DBB_RUN_MODE"), "expected empty, test or demo");
        };
    }

    private DemoTarget demoTarget() {
        String value = withDefault("DBB_DEMO_TARGET_DB");
        try {
            return DemoTarget.parse(value);
        } catch (IllegalArgumentException ex) {
            throw ConfigException.invalid(nameOf("DBB_DEMO_TARGET_DB"), null, ex.getMessage());
        }
    }

    private String logLevel() {
        String value = withDefault("DBB_LOG_LEVEL");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "trace" -> "TRACE";
            case "debug" -> "DEBUG";
            case "info" -> "INFO";
            case "warn", "warning" -> "WARN";
            case "error" -> "ERROR";
            default -> {
                warnings.add("invalid " + nameOf("DBB_LOG_LEVEL") + " '" + value + "': using info");
                yield "INFO";
            }
        };
    }

    private LogFormat logFormat() {
        String value = withDefault("DBB_LOG_FORMAT");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "text", "console", "plain" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw invalid("DBB_LOG_FORMAT", value, "expected text or json");
        };
    }

    /** {@code DBB_BASE_URL}: a leading slash, no trailing slash; empty or {@code /} fall back to {@code /app}. */
    static String normaliseBaseUrl(String value) {
        String result = value == null ? "" : value.trim();
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        if (result.isEmpty()) {
            return "/app";
        }
        return result.startsWith("/") ? result : "/" + result;
    }

    private String baseUrl() {
        String value = withDefault("DBB_BASE_URL");
        if (value.contains("?") || value.contains("#") || value.contains(" ")) {
            throw invalid("DBB_BASE_URL", value, "must be a plain path such as /app");
        }
        String result = normaliseBaseUrl(value);
        if (result.equals("/api") || result.startsWith("/api/")) {
            throw invalid("DBB_BASE_URL", value, "must not be under /api (the REST API lives there)");
        }
        return result;
    }

    private Hash hash(RunMode runMode) {
        String preset = optional("DBB_HASH_PRESET").map(text -> text.toLowerCase(Locale.ROOT))
                .orElse(runMode == RunMode.TEST ? "minimal" : "default");
        Hash base = switch (preset) {
            case "default" -> new Hash("default", 64, 1, 4);
            case "low" -> new Hash("low", 16, 2, 2);
            case "minimal" -> new Hash("minimal", 4, 3, 1);
            default -> throw invalid("DBB_HASH_PRESET", preset, "expected default, low or minimal");
        };
        int memory = optional("DBB_HASH_MEMORY_MB").isPresent() ? intValue("DBB_HASH_MEMORY_MB", 1) : base.memoryMb();
        int time = optional("DBB_HASH_TIME").isPresent() ? intValue("DBB_HASH_TIME", 1) : base.time();
        int threads = optional("DBB_HASH_THREADS").isPresent() ? intValue("DBB_HASH_THREADS", 1) : base.threads();
        return new Hash(preset, memory, time, threads);
    }

    private SlackAuth slackAuth() {
        String role = withDefault("DBB_SLACK_AUTH_DEFAULT_ROLE").toLowerCase(Locale.ROOT);
        if (!Set.of("admin", "viewer", "connector").contains(role)) {
            throw invalid("DBB_SLACK_AUTH_DEFAULT_ROLE", role, "expected admin, viewer or connector");
        }
        Optional<String> id = optional("DBB_SLACK_AUTH_CLIENT_ID");
        Optional<String> secret = optional("DBB_SLACK_AUTH_CLIENT_SECRET");
        if (id.isPresent() != secret.isPresent()) {
            String missing = id.isPresent() ? "DBB_SLACK_AUTH_CLIENT_SECRET" : "DBB_SLACK_AUTH_CLIENT_ID";
            String present = id.isPresent() ? "DBB_SLACK_AUTH_CLIENT_ID" : "DBB_SLACK_AUTH_CLIENT_SECRET";
            throw new ConfigException(missing, "invalid " + nameOf(present) + ": " + missing
                    + " must be set too (set both or neither)");
        }
        return new SlackAuth(optional("DBB_SLACK_AUTH_CLIENT_ID"), optional("DBB_SLACK_AUTH_CLIENT_SECRET"),
                optional("DBB_SLACK_AUTH_TEAM_ID"), bool("DBB_SLACK_AUTH_AUTO_CREATE_USERS"), role);
    }

    private Duration retention() {
        String value = withDefault("DBB_DUMP_RETENTION");
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException ex) {
            warnings.add("invalid " + nameOf("DBB_DUMP_RETENTION") + " '" + value + "': " + ex.getMessage()
                    + "; using 24h");
            return Duration.ofHours(24);
        }
    }

    private Tls tls(String prefix) {
        boolean disable = bool(prefix + "_DISABLE");
        Optional<Path> cert = optional(prefix + "_CERT_FILE").map(Paths::get);
        Optional<Path> key = optional(prefix + "_KEY_FILE").map(Paths::get);
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? prefix + "_KEY_FILE" : prefix + "_CERT_FILE";
            String present = cert.isPresent() ? prefix + "_CERT_FILE" : prefix + "_KEY_FILE";
            throw new ConfigException(missing, "invalid " + nameOf(present) + ": " + missing
                    + " must be set too (set both or neither)");
        }
        if (!disable) {
            for (String variable : List.of(prefix + "_CERT_FILE", prefix + "_KEY_FILE")) {
                optional(variable).ifPresent(file -> {
                    if (!Files.isReadable(Paths.get(file))) {
                        throw invalid(variable, file, "cannot read the file");
                    }
                });
            }
        }
        return new Tls(disable, cert, key);
    }

    private Path home(Path userHome) {
        return optional("DBB_HOME").map(Paths::get).orElse(userHome.resolve(".dbbat")).toAbsolutePath()
                .normalize();
    }

    private OptionalInt embeddedPgPort() {
        if (optional("DBB_EMBEDDED_PG_PORT").isEmpty()) {
            return OptionalInt.empty();
        }
        int port = intValue("DBB_EMBEDDED_PG_PORT", 1);
        if (port > 65535) {
            throw invalid("DBB_EMBEDDED_PG_PORT", Integer.toString(port), "port must be between 1 and 65535");
        }
        return OptionalInt.of(port);
    }
}
