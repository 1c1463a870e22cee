package dev.dbbat.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What {@link GrantRepository#insert} stores. Null quotas mean unlimited. */
public record NewGrant(
        UUID userId,
        UUID databaseId,
        List<String> controls,
        UUID grantedBy,
        Instant startsAt,
        Instant expiresAt,
        Long maxQueryCounts,
        Long maxBytesTransferred) {

    public NewGrant {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(databaseId, "databaseId");
        controls = List.copyOf(controls);
        Objects.requireNonNull(grantedBy, "grantedBy");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
