package dev.dbbat.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The {@code user_identities} table: live rows only (soft-deleted rows are invisible). Thread-safe. */
public final class UserIdentityRepository {
    private static final String COLUMNS =
            "uid, user_id, provider, provider_id, email, display_name, created_at, updated_at";
    private static final String INSERT = "INSERT INTO user_identities (user_id, provider, provider_id, email,"
            + " display_name, metadata) VALUES (:user_id, :provider, :provider_id, :email, :display_name,"
            + " CAST(:metadata AS jsonb)) RETURNING " + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS + " FROM user_identities"
            + " WHERE provider = :provider AND provider_id = :provider_id AND deleted_at IS NULL";
    private static final String OF_USER = "SELECT " + COLUMNS + " FROM user_identities"
            + " WHERE user_id = :user_id AND deleted_at IS NULL ORDER BY created_at, uid";
    private static final String METADATA = "SELECT metadata::text FROM user_identities WHERE uid = :uid";

    private final Jdbi jdbi;

    public UserIdentityRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /**
     * Links {@code userId} to an external identity. A live link for the same ({@code provider}, {@code providerId})
     * fails with a unique violation (SQLState 23505).
     *
     * @param metadataJson the raw provider profile, a JSON object as text
     */
    public UserIdentity link(UUID userId, String provider, String providerId, Optional<String> email,
            Optional<String> displayName, String metadataJson) {
        return jdbi.withHandle(handle -> handle.createQuery(INSERT)
                .bind("user_id", Objects.requireNonNull(userId, "userId"))
                .bind("provider", Objects.requireNonNull(provider, "provider"))
                .bind("provider_id", Objects.requireNonNull(providerId, "providerId"))
                .bind("email", email.orElse(null))
                .bind("display_name", displayName.orElse(null))
                .bind("metadata", Objects.requireNonNull(metadataJson, "metadataJson"))
                .map((rs, ctx) -> map(rs))
                .one());
    }

    /** The live identity for ({@code provider}, {@code providerId}). */
    public Optional<UserIdentity> find(String provider, String providerId) {
        return jdbi.withHandle(handle -> handle.createQuery(FIND)
                .bind("provider", provider)
                .bind("provider_id", providerId)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /** The live identities of a user, oldest first. */
    public List<UserIdentity> ofUser(UUID userId) {
        return jdbi.withHandle(handle -> handle.createQuery(OF_USER)
                .bind("user_id", userId)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /** The raw provider profile stored with an identity, as JSON text. */
    public Optional<String> metadata(UUID identityUid) {
        return jdbi.withHandle(handle -> handle.createQuery(METADATA)
                .bind("uid", identityUid)
                .mapTo(String.class)
                .findOne());
    }

    private static UserIdentity map(ResultSet rs) throws SQLException {
        return new UserIdentity(
                rs.getObject("uid", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("provider"),
                rs.getString("provider_id"),
                Optional.ofNullable(rs.getString("email")),
                Optional.ofNullable(rs.getString("display_name")),
                UserRepository.instant(rs, "created_at"),
                UserRepository.instant(rs, "updated_at"));
    }
}
