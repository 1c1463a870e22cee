package dev.dbbat.store.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** ResultSet helpers shared by the store's row mappers. Internal: no compatibility promise. */
public final class Sql {
    private Sql() {}

    /** A TIMESTAMPTZ column as an Instant, {@code null} when NULL. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A TIMESTAMPTZ column as an Optional Instant. */
    public static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(instant(rs, column));
    }

    /** A UUID column as an Optional. */
    public static Optional<UUID> optionalUuid(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, UUID.class));
    }

    /** A nullable text column as an Optional. */
    public static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }
}
