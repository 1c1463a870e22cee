package dev.dbbat.store;

import dev.dbbat.store.internal.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The {@code connections} table (behaviour §1.6): reads for the API, and the batch writes the
 * {@link dev.dbbat.store.writer.AsyncEventWriter} runs inside its own transaction (the {@code Handle} methods).
 * Proxies never call the write methods directly. Thread-safe.
 */
public final class ConnectionRepository {
    private static final String COLUMNS = "uid, user_id, database_id, grant_id, protocol, host(source_ip) AS source_ip,"
            + " connected_at, last_activity_at, disconnected_at, close_reason, queries, bytes_transferred";
    private static final String LIST = "SELECT " + COLUMNS + " FROM connections"
            + " WHERE (CAST(:user_id AS uuid) IS NULL OR user_id = :user_id)"
            + " AND (CAST(:database_id AS uuid) IS NULL OR database_id = :database_id)"
            + " AND (NOT :open_only OR disconnected_at IS NULL)"
            + KeysetSql.page("uid");
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM connections WHERE uid = :uid";
    private static final String INSERT = "INSERT INTO connections (uid, user_id, database_id, grant_id, protocol,"
            + " source_ip, connected_at, last_activity_at, disconnected_at, close_reason, queries, bytes_transferred)"
            + " VALUES (:uid, :user_id, :database_id, CAST(:grant_id AS uuid), :protocol, CAST(:source_ip AS inet),"
            + " :connected_at, :last_activity_at, CAST(:disconnected_at AS timestamptz), CAST(:close_reason AS text),"
            + " :queries, :bytes_transferred) ON CONFLICT (uid) DO NOTHING";
    private static final String UPDATE_STATS = "UPDATE connections SET queries = GREATEST(queries, :queries),"
            + " bytes_transferred = GREATEST(bytes_transferred, :bytes_transferred),"
            + " last_activity_at = GREATEST(last_activity_at, :last_activity_at)"
            + " WHERE uid = :uid AND disconnected_at IS NULL";
    private static final String CLOSE = "UPDATE connections SET"
            + " disconnected_at = COALESCE(disconnected_at, :disconnected_at),"
            + " close_reason = COALESCE(close_reason, CAST(:close_reason AS text)),"
            + " queries = GREATEST(queries, :queries),"
            + " bytes_transferred = GREATEST(bytes_transferred, :bytes_transferred),"
            + " last_activity_at = GREATEST(last_activity_at, :disconnected_at)"
            + " WHERE uid = :uid";
    private static final String CLOSE_ORPHANS = "UPDATE connections SET disconnected_at = now(),"
            + " close_reason = :close_reason WHERE disconnected_at IS NULL";

    private final Jdbi jdbi;

    public ConnectionRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** Sessions matching {@code filter}, newest first ({@code uid DESC}). */
    public List<ConnectionRecord> list(ConnectionFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery(LIST)
                    .bind("user_id", filter.userId().orElse(null))
                    .bind("database_id", filter.databaseId().orElse(null))
                    .bind("open_only", filter.openOnly());
            KeysetSql.bindPage(query, filter.before(), filter.limit(), filter.offset());
            return query.map((rs, ctx) -> map(rs)).list();
        });
    }

    /** Sessions not yet closed, newest first, at most {@code limit} (clamped to 1..1000). */
    public List<ConnectionRecord> listOpen(int limit) {
        return list(ConnectionFilter.all().withOpenOnly(true).withLimit(limit));
    }

    public Optional<ConnectionRecord> get(UUID uid) {
        Objects.requireNonNull(uid, "uid");
        return jdbi.withHandle(handle -> handle.createQuery(BY_ID).bind("uid", uid).map((rs, ctx) -> map(rs))
                .findOne());
    }

    /**
     * Marks every still-open session as closed now with {@code reason}: for startup, when the previous process died
     * without closing its sessions. Returns how many were closed.
     */
    public int closeOrphans(String reason) {
        Objects.requireNonNull(reason, "reason");
        return jdbi.withHandle(handle -> handle.createUpdate(CLOSE_ORPHANS).bind("close_reason", reason).execute());
    }

    /**
     * Inserts sessions; an existing uid is left alone (idempotent). For the writer.
     *
     * @return per record, the rows inserted (0 for a duplicate), or a negative JDBC "no info" value
     */
    public static int[] insertAll(Handle handle, List<ConnectionRecord> records) {
        PreparedBatch batch = handle.prepareBatch(INSERT);
        for (ConnectionRecord each : records) {
            batch.bind("uid", each.uid())
                    .bind("user_id", each.userId())
                    .bind("database_id", each.databaseId())
                    .bind("grant_id", each.grantId().orElse(null))
                    .bind("protocol", each.protocol())
                    .bind("source_ip", each.sourceIp())
                    .bind("connected_at", each.connectedAt())
                    .bind("last_activity_at", each.lastActivityAt())
                    .bind("disconnected_at", each.disconnectedAt().orElse(null))
                    .bind("close_reason", each.closeReason().orElse(null))
                    .bind("queries", each.queries())
                    .bind("bytes_transferred", each.bytesTransferred())
                    .add();
        }
        return batch.execute();
    }

    /** Raises the counters and last activity of open sessions (never lowers them). For the writer. */
    public static int[] updateStats(Handle handle, List<StatsUpdate> updates) {
        PreparedBatch batch = handle.prepareBatch(UPDATE_STATS);
        for (StatsUpdate each : updates) {
            batch.bind("uid", each.uid())
                    .bind("queries", each.queries())
                    .bind("bytes_transferred", each.bytesTransferred())
                    .bind("last_activity_at", each.lastActivityAt())
                    .add();
        }
        return batch.execute();
    }

    /**
     * Closes sessions: {@code disconnected_at} and {@code close_reason} are set only if still NULL; the counters are
     * raised to the final values. For the writer.
     *
     * @return per update, the rows updated (0 when the session row does not exist yet)
     */
    public static int[] closeAll(Handle handle, List<CloseUpdate> updates) {
        PreparedBatch batch = handle.prepareBatch(CLOSE);
        for (CloseUpdate each : updates) {
            batch.bind("uid", each.uid())
                    .bind("disconnected_at", each.disconnectedAt())
                    .bind("close_reason", each.closeReason())
                    .bind("queries", each.queries())
                    .bind("bytes_transferred", each.bytesTransferred())
                    .add();
        }
        return batch.execute();
    }

    private static ConnectionRecord map(ResultSet rs) throws SQLException {
        return new ConnectionRecord(
                rs.getObject("uid", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getObject("database_id", UUID.class),
                Sql.optionalUuid(rs, "grant_id"),
                rs.getString("protocol"),
                rs.getString("source_ip"),
                Sql.instant(rs, "connected_at"),
                Sql.instant(rs, "last_activity_at"),
                Sql.optionalInstant(rs, "disconnected_at"),
                Sql.optionalString(rs, "close_reason"),
                rs.getLong("queries"),
                rs.getLong("bytes_transferred"));
    }

    /**
     * Live counters of an open session.
     *
     * @param uid the session
     * @param queries statements logged so far
     * @param bytesTransferred bytes so far
     * @param lastActivityAt last activity
     */
    public record StatsUpdate(UUID uid, long queries, long bytesTransferred, Instant lastActivityAt) {
        public StatsUpdate {
            Objects.requireNonNull(uid, "uid");
            Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        }
    }

    /**
     * The end of a session.
     *
     * @param uid the session
     * @param disconnectedAt when it ended
     * @param closeReason why
     * @param queries final statement count
     * @param bytesTransferred final byte count
     */
    public record CloseUpdate(UUID uid, Instant disconnectedAt, String closeReason, long queries,
            long bytesTransferred) {
        public CloseUpdate {
            Objects.requireNonNull(uid, "uid");
            Objects.requireNonNull(disconnectedAt, "disconnectedAt");
            Objects.requireNonNull(closeReason, "closeReason");
        }
    }
}
