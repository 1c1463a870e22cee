package dev.dbbat.core.event;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of a client authentication. A rejection carries the reason for the log and the audit trail
 * only: protocols must show every unauthenticated client the same generic error, whatever the reason.
 */
public sealed interface AuthResult {

    /** The client proved who it is. */
    record Authenticated(Identity identity) implements AuthResult {
        public Authenticated {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The client did not prove who it is.
     *
     * @param reason why, for logs and the audit trail (never shown to the client)
     * @param retryAfter when positive, the user name is in login backoff for that long
     */
    record Rejected(String reason, Duration retryAfter) implements AuthResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        public static Rejected because(String reason) {
            return new Rejected(reason, Duration.ZERO);
        }
    }
}
