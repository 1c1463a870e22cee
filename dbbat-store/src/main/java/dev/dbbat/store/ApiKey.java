package dev.dbbat.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A row of {@code api_keys}: a long-lived API key ({@code key_type = 'api'}) or a web session ({@code 'web'}).
 * Holds hashes and verifiers: never serialise it as is. Nullable: expiresAt, lastUsedAt, revokedAt, revokedBy and
 * the SCRAM keys and the O5LOGON salt and encrypted verifier (web sessions have none).
 */
public record ApiKey(
        UUID id,
        UUID userId,
        String name,
        String keyHash,
        String keyPrefix,
        String keyType,
        byte[] scramStoredKey,
        byte[] scramServerKey,
        Instant expiresAt,
        Instant lastUsedAt,
        long requestCount,
        Instant createdAt,
        Instant revokedAt,
        UUID revokedBy,
        byte[] o5logonSalt,
        byte[] o5logonVerifier) {

    public static final String TYPE_API = "api";
    public static final String TYPE_WEB = "web";

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
    }

    /** Not revoked and not expired at {@code now}. */
    public boolean validAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    public boolean isWebSession() {
        return TYPE_WEB.equals(keyType);
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + " " + keyPrefix + " " + keyType + "]";
    }
}
