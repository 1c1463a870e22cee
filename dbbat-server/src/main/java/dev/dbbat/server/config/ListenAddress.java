package dev.dbbat.server.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A listener address as the configuration spells it: {@code :5434} (every interface), {@code host:port},
 * {@code [::1]:5434}, or the empty string (listener disabled). Immutable.
 *
 * @param host the host to bind, empty for every interface
 * @param port the port (0 = any free port), or -1 when disabled
 */
public record ListenAddress(String host, int port) {
    private static final ListenAddress DISABLED = new ListenAddress("", -1);

    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /** The disabled listener. */
    public static ListenAddress disabled() {
        return DISABLED;
    }

    /**
     * Parses {@code :port}, {@code host:port}, {@code [v6]:port} or {@code ""} (disabled).
     *
     * @throws IllegalArgumentException with a short reason (no "invalid" prefix)
     */
    public static ListenAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String value = text.trim();
        if (value.isEmpty()) {
            return DISABLED;
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected :port or host:port");
        }
        String host = value.substring(0, colon);
        String portText = value.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("malformed IPv6 host (expected [addr]:port)");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("IPv6 hosts must be bracketed, e.g. [::1]:5434");
        }
        if (portText.isEmpty()) {
            throw new IllegalArgumentException("missing port");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("port must be a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        return new ListenAddress(host, port);
    }

    public boolean enabled() {
        return port >= 0;
    }

    /** The socket address to bind; empty when the listener is disabled. */
    public Optional<InetSocketAddress> socketAddress() {
        if (!enabled()) {
            return Optional.empty();
        }
        return Optional.of(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
    }

    /** The host to bind, {@code 0.0.0.0} for every interface. */
    public String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "(disabled)";
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
