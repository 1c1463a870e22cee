package dev.dbbat.core.event;

import java.util.Objects;

/** The outcome of resolving a (user, database name, protocol) triple to an upstream and a grant. */
public sealed interface Resolution {

    /** The user may reach {@code target} under {@code grant}. */
    record Resolved(Target target, GrantInfo grant) implements Resolution {
        public Resolved {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(grant, "grant");
        }
    }

    /**
     * The user may not connect. {@code reason} is for the log and may be shown to the (authenticated) client,
     * e.g. "no active grant" or "query limit exceeded".
     */
    record Refused(String reason) implements Resolution {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
