package dev.dbbat.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Filters of {@link AuditRepository#list}. Immutable; build with {@link #all()} and the {@code with*} methods.
 * {@code limit} is clamped to 1..1000 and {@code offset} to {@code >= 0}.
 *
 * @param eventType exact event type
 * @param userId the user the event is about
 * @param performedBy the acting user
 * @param startTime {@code created_at >= startTime}
 * @param endTime {@code created_at <= endTime}
 * @param before keyset cursor: {@code uid < before}
 * @param limit page size
 * @param offset rows to skip
 */
public record AuditFilter(
        Optional<String> eventType,
        Optional<UUID> userId,
        Optional<UUID> performedBy,
        Optional<Instant> startTime,
        Optional<Instant> endTime,
        Optional<UUID> before,
        int limit,
        int offset) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 100;
    /** Maximum page size. */
    public static final int MAX_LIMIT = 1000;

    public AuditFilter {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(performedBy, "performedBy");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        Objects.requireNonNull(before, "before");
        limit = KeysetSql.limit(limit);
        offset = KeysetSql.offset(offset);
    }

    /** No filter, newest {@value #DEFAULT_LIMIT} entries. */
    public static AuditFilter all() {
        return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), DEFAULT_LIMIT, 0);
    }

    public AuditFilter withEventType(String value) {
        return new AuditFilter(Optional.of(value), userId, performedBy, startTime, endTime, before, limit, offset);
    }

    public AuditFilter withUserId(UUID value) {
        return new AuditFilter(eventType, Optional.of(value), performedBy, startTime, endTime, before, limit, offset);
    }

    public AuditFilter withPerformedBy(UUID value) {
        return new AuditFilter(eventType, userId, Optional.of(value), startTime, endTime, before, limit, offset);
    }

    public AuditFilter withStartTime(Instant value) {
        return new AuditFilter(eventType, userId, performedBy, Optional.of(value), endTime, before, limit, offset);
    }

    public AuditFilter withEndTime(Instant value) {
        return new AuditFilter(eventType, userId, performedBy, startTime, Optional.of(value), before, limit, offset);
    }

    public AuditFilter withBefore(UUID value) {
        return new AuditFilter(eventType, userId, performedBy, startTime, endTime, Optional.of(value), limit, offset);
    }

    public AuditFilter withLimit(int value) {
        return new AuditFilter(eventType, userId, performedBy, startTime, endTime, before, value, offset);
    }

    public AuditFilter withOffset(int value) {
        return new AuditFilter(eventType, userId, performedBy, startTime, endTime, before, limit, value);
    }
}
