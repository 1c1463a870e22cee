package dev.dbbat.server.config;

import java.util.Objects;

/**
 * A configuration value is missing or malformed. {@link #getMessage()} is the one line printed at start-up, e.g.
 * {@code invalid DBB_LISTEN_API ':abc': port must be a number}; it never contains a secret.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String variable;

    public ConfigException(String variable, String message) {
        super(message);
        this.variable = Objects.requireNonNull(variable, "variable");
    }

    /** An "invalid VARIABLE 'value': reason" error; pass {@code null} as the value for secrets. */
    public static ConfigException invalid(String variable, String value, String reason) {
        String shown = value == null ? "" : " '" + value + "'";
        return new ConfigException(variable, "invalid " + variable + shown + ": " + reason);
    }

    /** The variable (or flag) at fault, e.g. {@code DBB_LISTEN_API} or {@code --api-addr}. */
    public String variable() {
        return variable;
    }
}
