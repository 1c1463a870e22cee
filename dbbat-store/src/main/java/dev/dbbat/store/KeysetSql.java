package dev.dbbat.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL shared by the newest-first lists (audit log, statements, sessions): an optional inclusive time range, and the
 * keyset page ({@code uid < :before}, newest first, {@code :limit} rows after {@code :offset}), with their bindings
 * and the bounds of the page the list filters clamp to. Stateless.
 */
final class KeysetSql {
    private KeysetSql() {}

    /** A page size within 1..{@value AuditFilter#MAX_LIMIT}. */
    static int limit(int requested) {
        return Math.max(1, Math.min(AuditFilter.MAX_LIMIT, requested));
    }

    /** An offset of at least 0. */
    static int offset(int requested) {
        return Math.max(0, requested);
    }

    /** Two {@code AND} conditions: {@code column >= :start_time} and {@code column <= :end_time}, each optional. */
    static String timeRange(String column) {
        return " AND (CAST(:start_time AS timestamptz) IS NULL OR " + column + " >= :start_time)"
                + " AND (CAST(:end_time AS timestamptz) IS NULL OR " + column + " <= :end_time)";
    }

    /** The last {@code AND} condition ({@code uidColumn < :before}, optional) and the ordering and page clauses. */
    static String page(String uidColumn) {
        return " AND (CAST(:before AS uuid) IS NULL OR " + uidColumn + " < :before)"
                + " ORDER BY " + uidColumn + " DESC LIMIT :limit OFFSET :offset";
    }

    /** Binds the parameters of {@link #timeRange} on {@code query}. */
    static void bindTimeRange(Query query, Optional<Instant> startTime, Optional<Instant> endTime) {
        query.bind("start_time", startTime.orElse(null)).bind("end_time", endTime.orElse(null));
    }

    /** Binds the parameters of {@link #page} on {@code query}. */
    static void bindPage(Query query, Optional<UUID> before, int limit, int offset) {
        query.bind("before", before.orElse(null)).bind("limit", limit).bind("offset", offset);
    }
}
