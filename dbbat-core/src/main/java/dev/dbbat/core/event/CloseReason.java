package dev.dbbat.core.event;

import java.util.Objects;

/**
 * Why a session ended.
 *
 * @param kind the category
 * @param detail a human-readable detail for the log (never a secret)
 */
public record CloseReason(Kind kind, String detail) {

    /** Categories of session end. */
    public enum Kind {
        CLIENT_CLOSED,
        UPSTREAM_CLOSED,
        TERMINATED,
        IDLE_TIMEOUT,
        PROTOCOL_ERROR,
        ERROR
    }

    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    public static CloseReason of(Kind kind, String detail) {
        return new CloseReason(kind, detail);
    }
}
