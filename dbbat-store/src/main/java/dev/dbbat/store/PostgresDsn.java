package dev.dbbat.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL connection string as libpq accepts it: a URL ({@code postgres://user:pass@host:port/db?sslmode=x},
 * also {@code postgresql://}) or {@code key=value} pairs ({@code host=h port=5432 dbname=d user=u password=p}).
 * Immutable. {@link #toString()} never shows the password.
 *
 * @param host the host (default {@code localhost})
 * @param port the port (default 5432)
 * @param database the database name (default: the user name)
 * @param user the user name (may be empty)
 * @param password the password (may be empty)
 * @param parameters other parameters (sslmode, ...)
 */
public record PostgresDsn(
        String host, int port, String database, String user, String password, Map<String, String> parameters) {

    public PostgresDsn {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        parameters = Map.copyOf(parameters);
    }

    /**
     * Parses a DSN.
     *
     * @throws IllegalArgumentException with a message that never contains the password
     */
    public static PostgresDsn parse(String dsn) {
        Objects.requireNonNull(dsn, "dsn");
        String trimmed = dsn.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty DSN");
        }
        if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
            return parseUrl(trimmed);
        }
        if (trimmed.contains("://")) {
            throw new IllegalArgumentException("DSN scheme must be postgres:// or postgresql://");
        }
        return parseKeyValue(trimmed);
    }

    private static PostgresDsn parseUrl(String dsn) {
        URI uri;
        try {
            uri = new URI(dsn);
        } catch (URISyntaxException ex) {
            throw new IllegalArgumentException("malformed DSN URL (check special characters in the password)");
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String user = "";
        String password = "";
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                parameters.put(key, value);
            }
        }
        return build(host, port, database, user, password, parameters);
    }

    private static PostgresDsn parseKeyValue(String dsn) {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        int length = dsn.length();
        while (i < length) {
            while (i < length && Character.isWhitespace(dsn.charAt(i))) {
                i++;
            }
            if (i >= length) {
                break;
            }
            int eq = dsn.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("malformed DSN: expected key=value pairs");
            }
            String key = dsn.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < length && dsn.charAt(i) == '\'') {
                i++;
                while (i < length && dsn.charAt(i) != '\'') {
                    char c = dsn.charAt(i);
                    if (c == '\\' && i + 1 < length) {
                        i++;
                        c = dsn.charAt(i);
                    }
                    value.append(c);
                    i++;
                }
                if (i >= length) {
                    throw new IllegalArgumentException("malformed DSN: unterminated quoted value for " + key);
                }
                i++;
            } else {
                while (i < length && !Character.isWhitespace(dsn.charAt(i))) {
                    value.append(dsn.charAt(i));
                    i++;
                }
            }
            values.put(key, value.toString());
        }
        String host = values.getOrDefault("host", "localhost");
        int port;
        try {
            port = Integer.parseInt(values.getOrDefault("port", "5432"));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("malformed DSN: port is not a number");
        }
        String user = values.getOrDefault("user", "");
        String password = values.getOrDefault("password", "");
        String database = values.getOrDefault("dbname", "");
        Map<String, String> parameters = new LinkedHashMap<>(values);
        parameters.keySet().removeAll(java.util.List.of("host", "port", "user", "password", "dbname"));
        return build(host, port, database, user, password, parameters);
    }

    private static PostgresDsn build(
            String host, int port, String database, String user, String password, Map<String, String> parameters) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("malformed DSN: port " + port + " out of range");
        }
        String effectiveHost = host.isEmpty() ? "localhost" : host;
        String effectiveDatabase = database.isEmpty() ? user : database;
        return new PostgresDsn(effectiveHost, port, effectiveDatabase, user, password, parameters);
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The JDBC URL for pgjdbc (without credentials). */
    public String jdbcUrl() {
        StringBuilder result = new StringBuilder("jdbc:postgresql://");
        result.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/');
        result.append(URLEncoder.encode(database));
        String sslMode = parameters.get("sslmode");
        if (sslMode != null && !sslMode.isEmpty()) {
            result.append("?sslmode=").append(URLEncoder.encode(sslMode));
        }
        return result.toString();
    }

    /**
     * Whether a target (host, port, database) designates this same database: hosts compare case-insensitively, and
     * {@code localhost}, {@code 127.0.0.1} and {@code ::1} are the same host.
     */
    public boolean designates(String otherHost, int otherPort, String otherDatabase) {
        return otherPort == port && normalizeHost(otherHost).equals(normalizeHost(host))
                && Objects.equals(otherDatabase, database);
    }

    private static String normalizeHost(String value) {
        String lower = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("[") && lower.endsWith("]")) {
            lower = lower.substring(1, lower.length() - 1);
        }
        return switch (lower) {
            case "localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "" -> "localhost";
            default -> lower;
        };
    }

    @Override
    public String toString() {
        return "postgres://" + (user.isEmpty() ? "" : user + (password.isEmpty() ? "" : ":***") + "@") + host + ":"
                + port + "/" + database;
    }

    private static final class URLEncoder {
        static String encode(String value) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
