package dev.dbbat.core.event;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An authenticated DBBat user, as established by a {@link dev.dbbat.core.spi.ClientAuthenticator}.
 *
 * @param userId the user's uid
 * @param username the user's name
 * @param roles the user's roles (admin, viewer, connector)
 * @param method how the user proved who they are
 * @param apiKeyId the API key used, when {@code method} is {@link AuthMethod#API_KEY}
 */
public record Identity(UUID userId, String username, Set<String> roles, AuthMethod method, Optional<UUID> apiKeyId) {

    /** How a user authenticated. */
    public enum AuthMethod {
        PASSWORD,
        API_KEY
    }

    public Identity {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
    }
}
