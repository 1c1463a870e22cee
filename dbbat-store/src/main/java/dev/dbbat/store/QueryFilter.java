package dev.dbbat.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Filters of {@link QueryRepository#list}. Immutable; build with {@link #all()} and the {@code with*} methods.
 * {@code limit} is clamped to 1..1000 and {@code offset} to {@code >= 0}. Times are inclusive, on
 * {@code executed_at}.
 *
 * @param connectionId only this session's statements
 * @param userId only statements of this user's sessions
 * @param databaseId only statements of sessions to this database
 * @param startTime {@code executed_at >= startTime}
 * @param endTime {@code executed_at <= endTime}
 * @param before keyset cursor: {@code uid < before}
 * @param limit page size
 * @param offset rows to skip
 */
public record QueryFilter(
        Optional<UUID> connectionId,
        Optional<UUID> userId,
        Optional<UUID> databaseId,
        Optional<Instant> startTime,
        Optional<Instant> endTime,
        Optional<UUID> before,
        int limit,
        int offset) {

    public QueryFilter {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        Objects.requireNonNull(before, "before");
        limit = KeysetSql.limit(limit);
        offset = KeysetSql.offset(offset);
    }

    /** No filter, newest {@value AuditFilter#DEFAULT_LIMIT} statements. */
    public static QueryFilter all() {
        return new QueryFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), AuditFilter.DEFAULT_LIMIT, 0);
    }

    public QueryFilter withConnectionId(UUID value) {
        return new QueryFilter(Optional.of(value), userId, databaseId, startTime, endTime, before, limit, offset);
    }

    public QueryFilter withUserId(UUID value) {
        return new QueryFilter(connectionId, Optional.of(value), databaseId, startTime, endTime, before, limit,
                offset);
    }

    public QueryFilter withDatabaseId(UUID value) {
        return new QueryFilter(connectionId, userId, Optional.of(value), startTime, endTime, before, limit, offset);
    }

    public QueryFilter withStartTime(Instant value) {
        return new QueryFilter(connectionId, userId, databaseId, Optional.of(value), endTime, before, limit, offset);
    }

    public QueryFilter withEndTime(Instant value) {
        return new QueryFilter(connectionId, userId, databaseId, startTime, Optional.of(value), before, limit, offset);
    }

    public QueryFilter withBefore(UUID value) {
        return new QueryFilter(connectionId, userId, databaseId, startTime, endTime, Optional.of(value), limit,
                offset);
    }

    public QueryFilter withLimit(int value) {
        return new QueryFilter(connectionId, userId, databaseId, startTime, endTime, before, value, offset);
    }

    public QueryFilter withOffset(int value) {
        return new QueryFilter(connectionId, userId, databaseId, startTime, endTime, before, limit, value);
    }
}
