package dev.dbbat.core.event;

import java.util.Locale;
import java.util.Optional;

/**
 * The wire protocols DBBat proxies, with the identifier stored in {@code databases.protocol}.
 *
 * <p>Immutable and thread-safe.
 */
public enum Protocol {
    POSTGRESQL("postgresql", 5432),
    MYSQL("mysql", 3306),
    MARIADB("mariadb", 3306),
    ORACLE("oracle", 1521);

    private final String id;
    private final int defaultPort;

    Protocol(String id, int defaultPort) {
        this.id = id;
        this.defaultPort = defaultPort;
    }

    /** The lower-case identifier used in the store and the REST API, e.g. {@code postgresql}. */
    public String id() {
        return id;
    }

    /** The usual port of a server speaking this protocol, suggested to users who omit one. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Whether a client speaking {@code listener}'s protocol may reach a target of this protocol. */
    public boolean reachableThrough(Protocol listener) {
        if (this == listener) {
            return true;
        }
        return (this == MYSQL || this == MARIADB) && (listener == MYSQL || listener == MARIADB);
    }

    /** Parses an identifier case-insensitively; empty when unknown. */
    public static Optional<Protocol> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Protocol each : values()) {
            if (each.id.equals(wanted)) {
                return Optional.of(each);
            }
        }
        return Optional.empty();
    }
}
