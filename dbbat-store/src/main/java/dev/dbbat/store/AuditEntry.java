package dev.dbbat.store;

import dev.dbbat.core.UuidV7;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of the append-only {@code audit_log} (behaviour §1.10, §3.8). Immutable.
 *
 * @param uid the UUIDv7 id
 * @param eventType e.g. {@code user.created}, {@code grant.revoked}
 * @param userId the user the event is about
 * @param performedBy the acting user
 * @param details event details, stored as JSONB; values are JSON-compatible (strings, numbers, booleans, null,
 *     lists, maps, java.time values, UUIDs). Secrets are redacted on insert ({@link AuditRedaction})
 * @param createdAt when it happened
 */
public record AuditEntry(
        UUID uid,
        String eventType,
        Optional<UUID> userId,
        Optional<UUID> performedBy,
        Map<String, Object> details,
        Instant createdAt) {

    public AuditEntry {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(performedBy, "performedBy");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A new entry with a fresh UUIDv7 and the current time. */
    public static AuditEntry of(
            String eventType, Optional<UUID> userId, Optional<UUID> performedBy, Map<String, Object> details) {
        return new AuditEntry(UuidV7.next(), eventType, userId, performedBy, details, Instant.now());
    }
}
