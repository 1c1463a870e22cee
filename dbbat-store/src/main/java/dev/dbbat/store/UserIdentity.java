package dev.dbbat.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A live row of {@code user_identities}: a local user linked to an external identity ({@code provider},
 * {@code providerId}). The raw provider profile ({@code metadata}) is not loaded.
 */
public record UserIdentity(
        UUID uid,
        UUID userId,
        String provider,
        String providerId,
        Optional<String> email,
        Optional<String> displayName,
        Instant createdAt,
        Instant updatedAt) {

    public UserIdentity {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(displayName, "displayName");
    }
}
