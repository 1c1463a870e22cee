package dev.dbbat.server.policy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Reads {@code access_grants} with one query per check, comparing {@code expires_at} with the store's clock. */
public final class StoreGrantStatusSource implements GrantStatusSource {
    private static final String SELECT = "SELECT uid, revoked_at IS NOT NULL AS revoked, expires_at <= now() AS "
            + "expired, max_query_counts, max_bytes_transferred FROM access_grants WHERE uid = ANY(:ids)";

    private final Jdbi jdbi;

    public StoreGrantStatusSource(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Map<UUID, GrantStatus> statuses(Set<UUID> grantIds) {
        Map<UUID, GrantStatus> result = new HashMap<>();
        if (grantIds.isEmpty()) {
            return result;
        }
        jdbi.useHandle(handle -> handle.createQuery(SELECT)
                .bindArray("ids", UUID.class, grantIds.toArray(UUID[]::new))
                .map((rs, ctx) -> read(rs))
                .forEach(status -> result.put(status.grantId(), status)));
        return result;
    }

    private static GrantStatus read(ResultSet rs) throws SQLException {
        return new GrantStatus(rs.getObject("uid", UUID.class), rs.getBoolean("revoked"), rs.getBoolean("expired"),
                optionalLong(rs, "max_query_counts"), optionalLong(rs, "max_bytes_transferred"));
    }

    private static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
