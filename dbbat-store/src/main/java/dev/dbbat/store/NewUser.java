package dev.dbbat.store;

import java.util.List;
import java.util.Objects;

/**
 * What {@link UserRepository#create} inserts. The SCRAM salt is chosen once here and never changes.
 *
 * @param passwordChanged whether to stamp {@code password_changed_at} (false = must change before web login)
 */
public record NewUser(
        String username,
        String passwordHash,
        byte[] scramSalt,
        int scramIterations,
        byte[] scramStoredKey,
        byte[] scramServerKey,
        List<String> roles,
        boolean passwordChanged) {

    public NewUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(scramSalt, "scramSalt");
        Objects.requireNonNull(scramStoredKey, "scramStoredKey");
        Objects.requireNonNull(scramServerKey, "scramServerKey");
        roles = List.copyOf(roles);
    }

    @Override
    public String toString() {
        return "NewUser[" + username + " " + roles + "]";
    }
}
