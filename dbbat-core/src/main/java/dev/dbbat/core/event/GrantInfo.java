package dev.dbbat.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * The grant that lets a user reach a database, with its usage at the time it was resolved.
 *
 * @param grantId the grant's uid
 * @param controls the restrictions (empty = full access)
 * @param startsAt start of the window
 * @param expiresAt end of the window (exclusive)
 * @param maxQueries query quota over the window, empty = unlimited
 * @param maxBytes byte quota over the window, empty = unlimited
 * @param queriesUsed statements already logged in the window, across sessions
 * @param bytesUsed bytes already transferred in the window, across sessions
 */
public record GrantInfo(
        UUID grantId,
        Set<Control> controls,
        Instant startsAt,
        Instant expiresAt,
        OptionalLong maxQueries,
        OptionalLong maxBytes,
        long queriesUsed,
        long bytesUsed) {

    public GrantInfo {
        Objects.requireNonNull(grantId, "grantId");
        controls = Set.copyOf(controls);
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(maxQueries, "maxQueries");
        Objects.requireNonNull(maxBytes, "maxBytes");
    }

    public boolean has(Control control) {
        return controls.contains(control);
    }

    public boolean readOnly() {
        return controls.contains(Control.READ_ONLY);
    }
}
