package dev.dbbat.store;

import dev.dbbat.store.internal.Json;
import dev.dbbat.store.internal.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The append-only {@code audit_log}: insert and list, never update or delete. Secret values in {@code details} are
 * redacted before they reach the database ({@link AuditRedaction}). Thread-safe.
 */
public final class AuditRepository {
    private static final String INSERT = "INSERT INTO audit_log (uid, event_type, user_id, performed_by, details,"
            + " created_at) VALUES (:uid, :event_type, :user_id, :performed_by, CAST(:details AS jsonb), :created_at)";
    private static final String LIST = "SELECT uid, event_type, user_id, performed_by, details::text AS details,"
            + " created_at FROM audit_log"
            + " WHERE (CAST(:event_type AS text) IS NULL OR event_type = :event_type)"
            + " AND (CAST(:user_id AS uuid) IS NULL OR user_id = :user_id)"
            + " AND (CAST(:performed_by AS uuid) IS NULL OR performed_by = :performed_by)"
            + " AND (CAST(:start_time AS timestamptz) IS NULL OR created_at >= :start_time)"
            + " AND (CAST(:end_time AS timestamptz) IS NULL OR created_at <= :end_time)"
            + " AND (CAST(:before AS uuid) IS NULL OR uid < :before)"
            + " ORDER BY uid DESC LIMIT :limit OFFSET :offset";

    private final Jdbi jdbi;

    public AuditRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /**
     * Inserts an entry, redacting secrets in its details first.
     *
     * @throws org.jdbi.v3.core.statement.StatementException when the insert fails (e.g. unknown user: FK 23503)
     */
    public void insert(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        jdbi.useHandle(handle -> insert(handle, entry));
    }

    /**
     * Inserts an entry on {@code handle}, e.g. inside the transaction of the change it records. Secrets in its
     * details are redacted first.
     */
    public static void insert(Handle handle, AuditEntry entry) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(entry, "entry");
        String details = Json.write(AuditRedaction.redact(entry.details()));
        handle.createUpdate(INSERT)
                .bind("uid", entry.uid())
                .bind("event_type", entry.eventType())
                .bind("user_id", entry.userId().orElse(null))
                .bind("performed_by", entry.performedBy().orElse(null))
                .bind("details", details)
                .bind("created_at", entry.createdAt())
                .execute();
    }

    /** Entries matching {@code filter}, newest first ({@code uid DESC}). */
    public List<AuditEntry> list(AuditFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return jdbi.withHandle(handle -> handle.createQuery(LIST)
                .bind("event_type", filter.eventType().orElse(null))
                .bind("user_id", filter.userId().orElse(null))
                .bind("performed_by", filter.performedBy().orElse(null))
                .bind("start_time", filter.startTime().orElse(null))
                .bind("end_time", filter.endTime().orElse(null))
                .bind("before", filter.before().orElse(null))
                .bind("limit", filter.limit())
                .bind("offset", filter.offset())
                .map((rs, ctx) -> map(rs))
                .list());
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getObject("uid", java.util.UUID.class),
                rs.getString("event_type"),
                Sql.optionalUuid(rs, "user_id"),
                Sql.optionalUuid(rs, "performed_by"),
                Json.readMap(rs.getString("details")),
                Sql.instant(rs, "created_at"));
    }
}
