package dev.dbbat.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The {@code access_grants} table, with live usage computed from connections and queries. Thread-safe. */
public final class GrantRepository {
    /** SQL predicate of an active grant aliased {@code g}, on the store's clock. */
    static final String ACTIVE = "g.revoked_at IS NULL AND g.starts_at <= now() AND g.expires_at > now()";

    /** The end of a grant's effective window {@code [starts_at, min(expires_at, revoked_at))}. */
    private static final String WINDOW_END = "LEAST(g.expires_at, COALESCE(g.revoked_at, g.expires_at))";
    /**
     * Statements logged under the grant's window by the (user, database) pair. A connection that lies wholly inside
     * the window (connected in it, and closed in it, or still open while the window is) counts its
     * {@code connections.queries} counter, which the proxy keeps equal to its statement rows (written at close,
     * flushed every few seconds while open); only a connection crossing an edge of the window has its statement rows
     * counted. The cost is O(the pair's connections in the window), not O(statements): with 800,000 statements
     * logged, counting rows took 0.2-4 s per grant, for every login under a quota and every grant the API lists.
     */
    private static final String QUERY_COUNT = "(SELECT COALESCE(sum(CASE WHEN c.connected_at >= g.starts_at"
            + " AND COALESCE(c.disconnected_at, now()) <= " + WINDOW_END + " THEN c.queries"
            + " ELSE (SELECT count(*) FROM queries q WHERE q.connection_id = c.uid AND q.executed_at >= g.starts_at"
            + " AND q.executed_at < " + WINDOW_END + ") END), 0) FROM connections c"
            + " WHERE c.user_id = g.user_id AND c.database_id = g.database_id AND c.connected_at < " + WINDOW_END
            + " AND (c.disconnected_at IS NULL OR c.disconnected_at >= g.starts_at))";
    private static final String BYTES_SUM = "(SELECT COALESCE(sum(c.bytes_transferred), 0) FROM connections c"
            + "   WHERE c.user_id = g.user_id AND c.database_id = g.database_id AND c.connected_at >= g.starts_at"
            + "   AND c.connected_at < " + WINDOW_END + ")";
    /** The stored columns of {@code access_grants}; the usage columns follow them in every select. */
    private static final String STORED_COLUMNS = "uid, user_id, database_id, controls, granted_by, starts_at,"
            + " expires_at, revoked_at, revoked_by, max_query_counts, max_bytes_transferred, created_at";
    private static final String COLUMNS = "SELECT " + SqlColumns.qualified("g", STORED_COLUMNS) + ",";
    private static final String SELECT = COLUMNS + " " + QUERY_COUNT + " AS query_count, " + BYTES_SUM
            + " AS bytes_transferred FROM access_grants g";
    /**
     * For logins: the usage only of the quotas the grant has (0 otherwise). Counting every statement ever logged
     * under a quota-less grant made each login cost O(statements logged): seconds per login after a few million.
     */
    private static final String SELECT_QUOTA_USAGE = COLUMNS
            + " CASE WHEN g.max_query_counts IS NULL THEN 0 ELSE " + QUERY_COUNT + " END AS query_count,"
            + " CASE WHEN g.max_bytes_transferred IS NULL THEN 0 ELSE " + BYTES_SUM + " END AS bytes_transferred"
            + " FROM access_grants g";
    private static final String INSERT = "INSERT INTO access_grants (user_id, database_id, controls, granted_by,"
            + " starts_at, expires_at, max_query_counts, max_bytes_transferred) VALUES (:user_id, :database_id,"
            + " :controls, :granted_by, :starts_at, :expires_at, :max_query_counts, :max_bytes_transferred)"
            + " RETURNING uid";
    private static final String BY_ID = SELECT + " WHERE g.uid = :uid";
    private static final String LIST = SELECT + " WHERE (:user_id::uuid IS NULL OR g.user_id = :user_id::uuid)"
            + " AND (:database_id::uuid IS NULL OR g.database_id = :database_id::uuid)"
            + " AND (NOT :active_only OR (" + ACTIVE + ")) ORDER BY g.created_at DESC, g.uid";
    /** The grant a login uses among the active ones: the most recently created. */
    private static final String LATEST_ACTIVE = " AND " + ACTIVE + " ORDER BY g.created_at DESC LIMIT 1";
    private static final String ACTIVE_FOR = SELECT_QUOTA_USAGE
            + " WHERE g.user_id = :user_id AND g.database_id = :database_id" + LATEST_ACTIVE;
    /** A live database by name with the user's active grant on it ({@code ag_*} columns, null without one). */
    private static final String DATABASE_ACCESS = "SELECT " + SqlColumns.qualified("d", DatabaseRepository.COLUMNS)
            + ", " + SqlColumns.prefixed("ag", STORED_COLUMNS + ", query_count, bytes_transferred")
            + " FROM databases d LEFT JOIN LATERAL (" + SELECT_QUOTA_USAGE
            + " WHERE g.user_id = :user_id AND g.database_id = d.uid" + LATEST_ACTIVE
            + ") ag ON true WHERE d.name = :name AND d.deleted_at IS NULL";
    private static final String REVOKE = "UPDATE access_grants SET revoked_at = now(), revoked_by = :revoked_by"
            + " WHERE uid = :uid AND revoked_at IS NULL";

    private final Jdbi jdbi;

    public GrantRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** Inserts a grant and returns it. Unknown user or database fails with a FK violation (SQLState 23503). */
    public Grant insert(NewGrant grant) {
        try {
            UUID uid = jdbi.withHandle(handle -> handle.createQuery(INSERT)
                    .bind("user_id", grant.userId())
                    .bind("database_id", grant.databaseId())
                    .bind("controls", grant.controls().toArray(new String[0]))
                    .bind("granted_by", grant.grantedBy())
                    .bind("starts_at", grant.startsAt())
                    .bind("expires_at", grant.expiresAt())
                    .bind("max_query_counts", grant.maxQueryCounts())
                    .bind("max_bytes_transferred", grant.maxBytesTransferred())
                    .mapTo(UUID.class)
                    .one());
            return findById(uid).orElseThrow();
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    public Optional<Grant> findById(UUID uid) {
        return jdbi.withHandle(handle ->
                handle.createQuery(BY_ID).bind("uid", uid).map((rs, ctx) -> map(rs)).findOne());
    }

    /** Grants matching {@code filter}, newest first. */
    public List<Grant> list(GrantFilter filter) {
        return jdbi.withHandle(handle -> handle.createQuery(LIST)
                .bind("user_id", filter.userId().orElse(null))
                .bind("database_id", filter.databaseId().orElse(null))
                .bind("active_only", filter.activeOnly())
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /**
     * The most recently created grant active now for (user, database), with the usage of its quotas: {@code
     * queryCount} only when it has {@code max_query_counts}, {@code bytesTransferred} only when it has
     * {@code max_bytes_transferred} (0 otherwise, so that a login does not scan the grant's whole history).
     */
    public Optional<Grant> findActive(UUID userId, UUID databaseId) {
        return jdbi.withHandle(handle -> handle.createQuery(ACTIVE_FOR)
                .bind("user_id", userId)
                .bind("database_id", databaseId)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /**
     * The live database named {@code databaseName} and, in the same statement, what {@link #findActive} would return
     * for it: one round trip for a proxy login instead of two.
     */
    public Optional<DatabaseAccess> findDatabaseAccess(String databaseName, UUID userId) {
        return jdbi.withHandle(handle -> handle.createQuery(DATABASE_ACCESS)
                .bind("name", databaseName)
                .bind("user_id", userId)
                .map((rs, ctx) -> new DatabaseAccess(DatabaseRepository.map(rs),
                        rs.getObject("ag_uid") == null ? Optional.empty() : Optional.of(map(rs, "ag_"))))
                .findOne());
    }

    /** @return false when the grant does not exist or is already revoked */
    public boolean revoke(UUID uid, UUID revokedBy) {
        try {
            return jdbi.withHandle(handle ->
                    handle.createUpdate(REVOKE).bind("uid", uid).bind("revoked_by", revokedBy).execute()) > 0;
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    static Grant map(ResultSet rs) throws SQLException {
        return map(rs, "");
    }

    /** Maps a grant's columns and its two usage columns, each labelled {@code prefix + name}. */
    static Grant map(ResultSet rs, String prefix) throws SQLException {
        String[] controls = (String[]) rs.getArray(prefix + "controls").getArray();
        return new Grant(
                rs.getObject(prefix + "uid", UUID.class),
                rs.getObject(prefix + "user_id", UUID.class),
                rs.getObject(prefix + "database_id", UUID.class),
                Arrays.asList(controls),
                rs.getObject(prefix + "granted_by", UUID.class),
                UserRepository.instant(rs, prefix + "starts_at"),
                UserRepository.instant(rs, prefix + "expires_at"),
                UserRepository.instant(rs, prefix + "revoked_at"),
                rs.getObject(prefix + "revoked_by", UUID.class),
                rs.getObject(prefix + "max_query_counts", Long.class),
                rs.getObject(prefix + "max_bytes_transferred", Long.class),
                UserRepository.instant(rs, prefix + "created_at"),
                rs.getLong(prefix + "query_count"),
                rs.getLong(prefix + "bytes_transferred"));
    }
}
