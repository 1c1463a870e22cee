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
 * @param o5logonSalt 10-byte Oracle O5LOGON salt (null for web sessions)
 * @param o5logonVerifier the AES-GCM-encrypted 24-byte O5LOGON verifier key, AAD {@code apikey:<key_prefix>}
 */
public record NewApiKey(
        UUID userId,
        String name,
        String keyHash,
        String keyPrefix,
        String keyType,
        byte[] scramStoredKey,
        byte[] scramServerKey,
        Instant expiresAt,
        byte[] o5logonSalt,
        byte[] o5logonVerifier) {

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
