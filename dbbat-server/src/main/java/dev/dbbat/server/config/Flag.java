package dev.dbbat.server.config;

import java.util.Objects;
import java.util.Optional;

/** The command-line flags that set configuration values, each overriding one {@code DBB_*} variable. */
public enum Flag {
    LISTEN_ADDR("--listen-addr", "-l", "DBB_LISTEN_PG", "PostgreSQL proxy listen address"),
    API_ADDR("--api-addr", "-a", "DBB_LISTEN_API", "REST API and web UI listen address"),
    DSN("--dsn", "-d", "DBB_DSN", "store DSN (default: embedded PostgreSQL under ~/.dbbat)"),
    KEY("--key", "-k", "DBB_KEY", "base64 of the 32-byte master key"),
    KEYFILE("--keyfile", null, "DBB_KEYFILE", "file holding the 32 raw key bytes"),
    CONFIG("--config", "-c", "DBB_CONFIG", "config file (YAML, JSON or TOML)"),
    LOG_LEVEL("--log-level", null, "DBB_LOG_LEVEL", "debug, info, warn or error"),
    LOG_FORMAT("--log-format", null, "DBB_LOG_FORMAT", "text or json");

    private final String longName;
    private final String shortName;
    private final String variable;
    private final String description;

    Flag(String longName, String shortName, String variable, String description) {
        this.longName = longName;
        this.shortName = shortName;
        this.variable = variable;
        this.description = description;
    }

    /** The flag spelled {@code name} ({@code --dsn} or {@code -d}). */
    public static Optional<Flag> named(String name) {
        for (Flag each : values()) {
            if (each.longName.equals(name) || name.equals(each.shortName)) {
                return Optional.of(each);
            }
        }
        return Optional.empty();
    }

    public String longName() {
        return longName;
    }

    public Optional<String> shortName() {
        return Optional.ofNullable(shortName);
    }

    public String variable() {
        return variable;
    }

    public String description() {
        return description;
    }

    /**
     * One flag given on the command line.
     *
     * @param flag as the user spelled it ({@code --api-addr}), used in error messages
     * @param variable the variable it overrides
     * @param value its value
     */
    public record Value(String flag, String variable, String value) {
        public Value {
            Objects.requireNonNull(flag, "flag");
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return flag + "=" + (variable.equals("DBB_KEY") || variable.equals("DBB_DSN") ? "***" : value);
        }
    }
}
