package dev.dbbat.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of the HTTP listener.
 *
 * @param read the whole request (headers and body) must arrive within this time of its first byte, else the
 *     connection is closed
 * @param write while a request is handled, reading its body or writing its response may stall at most this long
 * @param idle a keep-alive connection with no request in progress is closed after this long
 */
public record HttpTimeouts(Duration read, Duration write, Duration idle) {

    public HttpTimeouts {
        positive(read, "read");
        positive(write, "write");
        positive(idle, "idle");
    }

    /** 15 s read, 15 s write, 60 s idle. */
    public static HttpTimeouts defaults() {
        return new HttpTimeouts(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(60));
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " timeout: " + value + " (expected: > 0)");
        }
    }
}
