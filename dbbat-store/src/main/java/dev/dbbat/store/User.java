package dev.dbbat.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A live row of {@code users}. Holds the Argon2id hash and the SCRAM verifier: never serialise it as is.
 *
 * @param passwordChangedAt null while the initial password was never changed
 */
public record User(
        UUID uid,
        String username,
        String passwordHash,
        byte[] scramSalt,
        int scramIterations,
        byte[] scramStoredKey,
        byte[] scramServerKey,
        List<String> roles,
        boolean rateLimitExempt,
        Instant passwordChangedAt,
        Instant createdAt,
        Instant updatedAt) {

    public User {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(username, "username");
        roles = List.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return "User[" + uid + " " + username + " " + roles + "]";
    }
}
