package dev.dbbat.store;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Filters of {@link ConnectionRepository#list}. Immutable; build with {@link #all()} and the {@code with*} methods.
 * {@code limit} is clamped to 1..1000 and {@code offset} to {@code >= 0}.
 *
 * @param userId only this user's sessions
 * @param databaseId only sessions to this database
 * @param openOnly only sessions not yet closed
 * @param before keyset cursor: {@code uid < before}
 * @param limit page size
 * @param offset rows to skip
 */
public record ConnectionFilter(
        Optional<UUID> userId, Optional<UUID> databaseId, boolean openOnly, Optional<UUID> before, int limit,
        int offset) {

    public ConnectionFilter {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(before, "before");
        limit = KeysetSql.limit(limit);
        offset = KeysetSql.offset(offset);
    }

    /** No filter, newest {@value AuditFilter#DEFAULT_LIMIT} sessions. */
    public static ConnectionFilter all() {
        return new ConnectionFilter(Optional.empty(), Optional.empty(), false, Optional.empty(),
                AuditFilter.DEFAULT_LIMIT, 0);
    }

    public ConnectionFilter withUserId(UUID value) {
        return new ConnectionFilter(Optional.of(value), databaseId, openOnly, before, limit, offset);
    }

    public ConnectionFilter withDatabaseId(UUID value) {
        return new ConnectionFilter(userId, Optional.of(value), openOnly, before, limit, offset);
    }

    public ConnectionFilter withOpenOnly(boolean value) {
        return new ConnectionFilter(userId, databaseId, value, before, limit, offset);
    }

    public ConnectionFilter withBefore(UUID value) {
        return new ConnectionFilter(userId, databaseId, openOnly, Optional.of(value), limit, offset);
    }

    public ConnectionFilter withLimit(int value) {
        return new ConnectionFilter(userId, databaseId, openOnly, before, value, offset);
    }

    public ConnectionFilter withOffset(int value) {
        return new ConnectionFilter(userId, databaseId, openOnly, before, limit, value);
    }
}
