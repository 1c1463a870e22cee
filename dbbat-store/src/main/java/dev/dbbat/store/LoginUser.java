package dev.dbbat.store;

import java.util.List;
import java.util.Objects;

/**
 * What a SCRAM login needs of a user, read in one round trip: the live user and its valid API keys (not revoked,
 * not expired, oldest first; web sessions excluded).
 */
public record LoginUser(User user, List<ApiKey> validApiKeys) {
    public LoginUser {
        Objects.requireNonNull(user, "user");
        validApiKeys = List.copyOf(validApiKeys);
    }
}
