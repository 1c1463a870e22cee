package dev.dbbat.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A row of {@code access_grants}, with its live usage over its effective window
 * {@code [starts_at, min(expires_at, revoked_at))}: statements logged by the (user, database) pair, and bytes of the
 * connections opened in that window. Nullable: revokedAt, revokedBy, maxQueryCounts, maxBytesTransferred.
 */
public record Grant(
        UUID uid,
        UUID userId,
        UUID databaseId,
        List<String> controls,
        UUID grantedBy,
        Instant startsAt,
        Instant expiresAt,
        Instant revokedAt,
        UUID revokedBy,
        Long maxQueryCounts,
        Long maxBytesTransferred,
        Instant createdAt,
        long queryCount,
        long bytesTransferred) {

    public Grant {
        Objects.requireNonNull(uid, "uid");
        controls = List.copyOf(controls);
    }

    /** Not revoked and {@code startsAt <= now < expiresAt}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && !startsAt.isAfter(now) && expiresAt.isAfter(now);
    }
}
