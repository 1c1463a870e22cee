package dev.dbbat.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link ApiKeyRepository#insert} stores. Only the hash and the lookup prefix of the token are kept.
 *
 * @param scramStoredKey SCRAM verifier of the key under its owner's salt (null for web sessions)
 * @param scramServerKey idem
 * @param expiresAt null = never
 */
public record NewApiKey(
        UUID userId,
        String name,
        String keyHash,
        String keyPrefix,
        String keyType,
        byte[] scramStoredKey,
        byte[] scramServerKey,
        Instant expiresAt) {

    public NewApiKey {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(keyType, "keyType");
    }

    @Override
    public String toString() {
        return "NewApiKey[" + keyPrefix + " " + keyType + "]";
    }
}
