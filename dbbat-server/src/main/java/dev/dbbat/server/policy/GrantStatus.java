package dev.dbbat.server.policy;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The current state of one grant in the store.
 *
 * @param grantId the grant
 * @param revoked whether it was revoked (or deleted)
 * @param expired whether its window has ended (by the store's clock)
 * @param maxQueries its current query quota
 * @param maxBytes its current byte quota
 */
public record GrantStatus(UUID grantId, boolean revoked, boolean expired, OptionalLong maxQueries,
        OptionalLong maxBytes) {

    public GrantStatus {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(maxQueries, "maxQueries");
        Objects.requireNonNull(maxBytes, "maxBytes");
    }
}
