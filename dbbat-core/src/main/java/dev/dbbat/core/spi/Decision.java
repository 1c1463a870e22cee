package dev.dbbat.core.spi;

import java.util.Objects;

/**
 * What a {@link SessionInterceptor} wants done with a session or a statement. Immutable; {@link #proceed()} is a
 * shared instance.
 *
 * <p>Each protocol turns {@link Kind#DENY} into its own error (PostgreSQL ErrorResponse, MySQL ERR_Packet, Oracle
 * ORA-01031) and keeps the session usable; {@link Kind#TERMINATE} sends the error and closes the session.
 *
 * @param kind what to do
 * @param sqlState the SQLSTATE of the error sent to the client (e.g. {@code 42501}), empty for PROCEED
 * @param message the message sent to the client, empty for PROCEED
 */
public record Decision(Kind kind, String sqlState, String message) {

    /** The possible decisions. */
    public enum Kind {
        PROCEED,
        DENY,
        TERMINATE
    }

    /** SQLSTATE of a policy refusal: insufficient_privilege. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** SQLSTATE of a quota refusal: program_limit_exceeded. */
    public static final String LIMIT_EXCEEDED = "54000";

    private static final Decision PROCEED = new Decision(Kind.PROCEED, "", "");

    public Decision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(message, "message");
    }

    public static Decision proceed() {
        return PROCEED;
    }

    public static Decision deny(String sqlState, String message) {
        return new Decision(Kind.DENY, sqlState, message);
    }

    public static Decision terminate(String sqlState, String message) {
        return new Decision(Kind.TERMINATE, sqlState, message);
    }

    public boolean proceeds() {
        return kind == Kind.PROCEED;
    }
}
