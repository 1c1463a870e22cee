package dev.dbbat.store;

import dev.dbbat.store.internal.CopyBinary;
import dev.dbbat.store.internal.Json;
import dev.dbbat.store.internal.Sql;
import dev.dbbat.store.internal.Text;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The {@code queries} and {@code query_rows} tables (behaviour §1.7, §1.8): reads for the API (lists, detail, row
 * pages, quota usage), and the batch writes the {@link dev.dbbat.store.writer.AsyncEventWriter} runs inside its own
 * transaction (the {@code Handle} methods). Thread-safe.
 */
public final class QueryRepository {
    /** Default byte budget of a rows page (1 MiB of row_data). */
    public static final long DEFAULT_PAGE_BYTES = 1024 * 1024;

    private static final String COLUMNS = "q.uid, q.connection_id, q.sql_text, q.parameters::text AS parameters,"
            + " q.executed_at, q.duration_ms, q.rows_affected, q.error, q.sql_state, q.refused, q.bytes_transferred,"
            + " q.copy_format, q.copy_direction, q.results_truncated";
    private static final String LIST = "SELECT " + COLUMNS + " FROM queries q"
            + " JOIN connections c ON c.uid = q.connection_id"
            + " WHERE (CAST(:connection_id AS uuid) IS NULL OR q.connection_id = :connection_id)"
            + " AND (CAST(:user_id AS uuid) IS NULL OR c.user_id = :user_id)"
            + " AND (CAST(:database_id AS uuid) IS NULL OR c.database_id = :database_id)"
            + KeysetSql.timeRange("q.executed_at") + KeysetSql.page("q.uid");
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM queries q WHERE q.uid = :uid";
    /** Rows of one page: at most :limit rows, cut where the cumulative row_data size exceeds :max_bytes (>= 1 row). */
    private static final String ROWS = "SELECT uid, query_id, row_number, row_data, row_size_bytes FROM ("
            + " SELECT page.*, row_number() OVER (ORDER BY page.row_number) AS position,"
            + " sum(octet_length(page.row_data)) OVER (ORDER BY page.row_number) AS cumulative FROM ("
            + "  SELECT uid, query_id, row_number, row_data::text AS row_data, row_size_bytes FROM query_rows"
            + "  WHERE query_id = :query_id ORDER BY row_number LIMIT :limit OFFSET :offset) page) sized"
            + " WHERE position = 1 OR cumulative <= :max_bytes ORDER BY row_number";
    private static final String COUNT_ROWS = "SELECT count(*) FROM query_rows WHERE query_id = :query_id";
    private static final String USAGE = "SELECT"
            + " (SELECT count(*) FROM queries q JOIN connections c ON c.uid = q.connection_id"
            + "  WHERE c.user_id = :user_id AND c.database_id = :database_id"
            + "  AND q.executed_at >= :from AND q.executed_at < :to) AS queries,"
            + " (SELECT COALESCE(sum(bytes_transferred), 0) FROM connections"
            + "  WHERE user_id = :user_id AND database_id = :database_id"
            + "  AND connected_at >= :from AND connected_at < :to) AS bytes";
    private static final String INSERT_STARTED = "INSERT INTO queries (uid, connection_id, sql_text, parameters,"
            + " executed_at) VALUES (:uid, :connection_id, :sql_text, CAST(:parameters AS json), :executed_at)"
            + " ON CONFLICT (uid) DO NOTHING";
    private static final String UPSERT_COMPLETED = "INSERT INTO queries (uid, connection_id, sql_text, parameters,"
            + " executed_at, duration_ms, rows_affected, error, sql_state, refused, bytes_transferred, copy_format,"
            + " copy_direction, results_truncated) VALUES (:uid, :connection_id, :sql_text, CAST(:parameters AS json),"
            + " :executed_at, CAST(:duration_ms AS numeric), CAST(:rows_affected AS bigint), CAST(:error AS text),"
            + " CAST(:sql_state AS text), :refused, :bytes_transferred, CAST(:copy_format AS text),"
            + " CAST(:copy_direction AS text), :results_truncated)"
            + " ON CONFLICT (uid) DO UPDATE SET duration_ms = EXCLUDED.duration_ms,"
            + " rows_affected = EXCLUDED.rows_affected, error = EXCLUDED.error, sql_state = EXCLUDED.sql_state,"
            + " refused = EXCLUDED.refused, bytes_transferred = EXCLUDED.bytes_transferred,"
            + " copy_format = EXCLUDED.copy_format, copy_direction = EXCLUDED.copy_direction,"
            + " results_truncated = queries.results_truncated OR EXCLUDED.results_truncated";
    private static final String COPY_COMPLETED = "COPY queries (uid, connection_id, sql_text, parameters, executed_at,"
            + " duration_ms, rows_affected, error, sql_state, refused, bytes_transferred, copy_format, copy_direction,"
            + " results_truncated) FROM STDIN (FORMAT binary)";
    /** Rendered statement records are sent to the store in pieces of about this size. */
    private static final int COPY_CHUNK_BYTES = 1024 * 1024;
    private static final String UPSERT_COMPLETED_POSITIONAL = UPSERT_COMPLETED.replaceAll(":[a-z_]+", "?");
    private static final String INSERT_ROW = "INSERT INTO query_rows (uid, query_id, row_number, row_data,"
            + " row_size_bytes) VALUES (:uid, :query_id, :row_number, CAST(:row_data AS json), :row_size_bytes)"
            + " ON CONFLICT (uid) DO NOTHING";
    private static final String MARK_TRUNCATED = "UPDATE queries SET results_truncated = true WHERE uid = :uid";

    private final Jdbi jdbi;

    public QueryRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** Statements matching {@code filter}, newest first ({@code uid DESC}). */
    public List<QueryRecord> list(QueryFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery(LIST)
                    .bind("connection_id", filter.connectionId().orElse(null))
                    .bind("user_id", filter.userId().orElse(null))
                    .bind("database_id", filter.databaseId().orElse(null));
            KeysetSql.bindTimeRange(query, filter.startTime(), filter.endTime());
            KeysetSql.bindPage(query, filter.before(), filter.limit(), filter.offset());
            return query.map((rs, ctx) -> map(rs)).list();
        });
    }

    public Optional<QueryRecord> get(UUID uid) {
        Objects.requireNonNull(uid, "uid");
        return jdbi.withHandle(handle -> handle.createQuery(BY_ID).bind("uid", uid).map((rs, ctx) -> map(rs))
                .findOne());
    }

    /**
     * One page of a statement's captured rows, by {@code row_number}: at most {@code limit} rows and at most
     * {@code maxBytes} of row_data text, but always at least one row when any remain.
     *
     * @param offset rows to skip (>= 0)
     * @param limit 1..1000
     * @param maxBytes byte budget of the page, e.g. {@link #DEFAULT_PAGE_BYTES}
     */
    public RowsPage rows(UUID queryId, long offset, int limit, long maxBytes) {
        Objects.requireNonNull(queryId, "queryId");
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        if (limit < 1 || limit > AuditFilter.MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1..1000)");
        }
        return jdbi.inTransaction(handle -> {
            long total = handle.createQuery(COUNT_ROWS).bind("query_id", queryId).mapTo(Long.class).one();
            List<QueryRowRecord> rows = handle.createQuery(ROWS)
                    .bind("query_id", queryId)
                    .bind("limit", limit)
                    .bind("offset", offset)
                    .bind("max_bytes", maxBytes)
                    .map((rs, ctx) -> new QueryRowRecord(rs.getObject("uid", UUID.class),
                            rs.getObject("query_id", UUID.class), rs.getInt("row_number"), rs.getString("row_data"),
                            rs.getLong("row_size_bytes")))
                    .list();
            long next = offset + rows.size();
            return new RowsPage(rows, next < total, next, total);
        });
    }

    /**
     * Recorded usage of (user, database) over {@code [from, to)}: statements by {@code executed_at}, and the bytes
     * of sessions by {@code connected_at} (as last flushed by the writer; live sessions' unflushed bytes are the
     * caller's business).
     */
    public GrantUsage usage(UUID userId, UUID databaseId, Instant from, Instant to) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return jdbi.withHandle(handle -> handle.createQuery(USAGE)
                .bind("user_id", userId)
                .bind("database_id", databaseId)
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new GrantUsage(rs.getLong("queries"), rs.getLong("bytes")))
                .one());
    }

    /** Inserts statements that have started (first result row seen); existing uids are left alone. For the writer. */
    public static int[] insertStarted(Handle handle, List<QueryRecord> records) {
        PreparedBatch batch = handle.prepareBatch(INSERT_STARTED);
        for (QueryRecord each : records) {
            bindStarted(batch, each).add();
        }
        return batch.execute();
    }

    /**
     * Inserts completed statements, or completes those already inserted by {@link #insertStarted}
     * ({@code results_truncated} is sticky). For the writer.
     */
    public static int[] upsertCompleted(Handle handle, List<QueryRecord> records) {
        // plain JDBC with positional parameters: the writer's hottest statement, one row per logged statement, and
        // Jdbi's named binding cost more CPU and garbage per row than the insert itself
        try (PreparedStatement batch = handle.getConnection().prepareStatement(UPSERT_COMPLETED_POSITIONAL)) {
            for (QueryRecord each : records) {
                batch.setObject(1, each.uid());
                batch.setObject(2, each.connectionId());
                batch.setString(3, Text.clean(each.sqlText()));
                batch.setString(4, each.parameters().map(Json::write).orElse(null));
                batch.setObject(5, OffsetDateTime.ofInstant(each.executedAt(), ZoneOffset.UTC));
                // as text: the driver's binary NUMERIC encoding of a BigDecimal allocates more than the whole row
                batch.setString(6, each.durationMs().map(java.math.BigDecimal::toPlainString).orElse(null));
                if (each.rowsAffected().isPresent()) {
                    batch.setLong(7, each.rowsAffected().get());
                } else {
                    batch.setNull(7, Types.BIGINT);
                }
                batch.setString(8, Text.clean(each.error().orElse(null)));
                batch.setString(9, each.sqlState().orElse(null));
                batch.setBoolean(10, each.refused());
                batch.setLong(11, each.bytesTransferred());
                batch.setString(12, each.copyFormat().orElse(null));
                batch.setString(13, each.copyDirection().orElse(null));
                batch.setBoolean(14, each.resultsTruncated());
                batch.addBatch();
            }
            return batch.executeBatch();
        } catch (SQLException ex) {
            throw new StoreException("writing " + records.size() + " statement records failed", ex);
        }
    }

    /**
     * Inserts completed statements that are known not to exist yet (no "started" row was written for them) with
     * {@code COPY ... FROM STDIN}: for the store the cheapest way in (no per-row parse, plan or conflict check).
     * A duplicate uid fails the whole COPY (unique violation), so callers use {@link #upsertCompleted} when
     * writing an event on its own after a failure. For the writer.
     */
    public static void copyCompleted(Handle handle, List<QueryRecord> records) {
        copyCompleted(handle, records, new CopyBinary(64 * 1024));
    }

    /**
     * {@link #copyCompleted(Handle, List)} rendering into {@code buffer} (reset first, left with its capacity for the
     * next batch): binary COPY, so the store runs the types' receive functions instead of parsing text (uuid,
     * timestamptz, numeric, bigint and boolean text input cost the store about a quarter of a statement record), sent
     * in pieces of up to about 1 MiB (a whole batch, usually: each piece wakes the store's backend).
     */
    public static void copyCompleted(Handle handle, List<QueryRecord> records, CopyBinary buffer) {
        buffer.reset().header();
        CopyIn copy = null;
        try {
            copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_COMPLETED);
            for (QueryRecord each : records) {
                buffer.row(14)
                        .uuid(each.uid())
                        .uuid(each.connectionId())
                        .text(Text.clean(each.sqlText()))
                        .json(each.parameters().orElse(null))
                        .timestamptz(each.executedAt())
                        .numeric(each.durationMs().orElse(null));
                if (each.rowsAffected().isPresent()) {
                    buffer.int8(each.rowsAffected().get());
                } else {
                    buffer.nullValue();
                }
                buffer.text(Text.clean(each.error().orElse(null)))
                        .text(each.sqlState().orElse(null))
                        .bool(each.refused())
                        .int8(each.bytesTransferred())
                        .text(each.copyFormat().orElse(null))
                        .text(each.copyDirection().orElse(null))
                        .bool(each.resultsTruncated());
                if (buffer.size() >= COPY_CHUNK_BYTES) {
                    copy.writeToCopy(buffer.array(), 0, buffer.size());
                    buffer.reset();
                }
            }
            buffer.trailer();
            copy.writeToCopy(buffer.array(), 0, buffer.size());
            buffer.reset();
            copy.endCopy();
        } catch (SQLException ex) {
            buffer.reset();
            cancelQuietly(copy);
            throw new StoreException("copying " + records.size() + " statement records failed", ex);
        }
    }

    private static void cancelQuietly(CopyIn copy) {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException ignored) {
                // the connection is broken or the COPY already ended: the caller reports the first failure
            }
        }
    }

    /** Binds what a statement has from its start: uid, session, cleaned text, parameters, start time. */
    private static PreparedBatch bindStarted(PreparedBatch batch, QueryRecord record) {
        return batch.bind("uid", record.uid())
                .bind("connection_id", record.connectionId())
                .bind("sql_text", Text.clean(record.sqlText()))
                .bind("parameters", record.parameters().map(Json::write).orElse(null))
                .bind("executed_at", record.executedAt());
    }

    /** Inserts captured rows; existing uids are left alone. For the writer. */
    public static int[] insertRows(Handle handle, List<QueryRowRecord> rows) {
        PreparedBatch batch = handle.prepareBatch(INSERT_ROW);
        for (QueryRowRecord each : rows) {
            batch.bind("uid", each.uid())
                    .bind("query_id", each.queryId())
                    .bind("row_number", each.rowNumber())
                    .bind("row_data", each.rowData())
                    .bind("row_size_bytes", each.rowSizeBytes())
                    .add();
        }
        return batch.execute();
    }

    /** Sets {@code results_truncated} on statements whose rows were dropped. For the writer. */
    public static int[] markTruncated(Handle handle, Collection<UUID> queryIds) {
        PreparedBatch batch = handle.prepareBatch(MARK_TRUNCATED);
        for (UUID each : queryIds) {
            batch.bind("uid", each).add();
        }
        return batch.execute();
    }

    private static QueryRecord map(ResultSet rs) throws SQLException {
        String parameters = rs.getString("parameters");
        Optional<Map<String, Object>> parsed = parameters == null ? Optional.empty()
                : Optional.of(Json.readMap(parameters));
        long rowsAffected = rs.getLong("rows_affected");
        Optional<Long> affected = rs.wasNull() ? Optional.empty() : Optional.of(rowsAffected);
        return new QueryRecord(
                rs.getObject("uid", UUID.class),
                rs.getObject("connection_id", UUID.class),
                rs.getString("sql_text"),
                parsed,
                Sql.instant(rs, "executed_at"),
                Optional.ofNullable(rs.getBigDecimal("duration_ms")),
                affected,
                Sql.optionalString(rs, "error"),
                Sql.optionalString(rs, "sql_state"),
                rs.getBoolean("refused"),
                rs.getLong("bytes_transferred"),
                Sql.optionalString(rs, "copy_format"),
                Sql.optionalString(rs, "copy_direction"),
                rs.getBoolean("results_truncated"));
    }
}
