package dev.dbbat.protocol.pg.sql;

import java.util.Objects;

/**
 * Result of checking one message's SQL against a grant. Immutable and thread-safe.
 *
 * @param allowed whether the SQL may be forwarded to the server
 * @param message the refusal text for the client (sent as an ErrorResponse with SQLSTATE 42501), {@code ""} when
 *     allowed
 */
public record SqlVerdict(boolean allowed, String message) {

    private static final SqlVerdict ALLOW = new SqlVerdict(true, "");

    public SqlVerdict {
        Objects.requireNonNull(message, "message");
    }

    /** The shared "allowed" verdict. */
    public static SqlVerdict allow() {
        return ALLOW;
    }

    /** A refusal carrying {@code message} for the client. */
    public static SqlVerdict refuse(String message) {
        return new SqlVerdict(false, message);
    }
}
