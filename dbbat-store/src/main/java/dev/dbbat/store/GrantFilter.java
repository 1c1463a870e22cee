package dev.dbbat.store;

import java.util.Optional;
import java.util.UUID;

/**
 * Filter of {@link GrantRepository#list}.
 *
 * @param activeOnly only grants not revoked with {@code starts_at <= now() < expires_at}
 */
public record GrantFilter(Optional<UUID> userId, Optional<UUID> databaseId, boolean activeOnly) {}
