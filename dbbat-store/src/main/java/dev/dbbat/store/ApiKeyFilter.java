package dev.dbbat.store;

import java.util.Optional;
import java.util.UUID;

/**
 * Filter of {@link ApiKeyRepository#list}.
 *
 * @param userId only this owner's keys, when present
 * @param keyType only this type ({@code api} or {@code web}), when present
 * @param includeInactive whether revoked and expired keys are included
 */
public record ApiKeyFilter(Optional<UUID> userId, Optional<String> keyType, boolean includeInactive) {}
