package dev.dbbat.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The {@code users} table: live rows only (soft-deleted rows are invisible). Thread-safe. */
public final class UserRepository {
    private static final String COLUMNS = "uid, username, password_hash, scram_salt, scram_iterations, scram_stored_key,"
            + " scram_server_key, roles::text[] AS roles, rate_limit_exempt, password_changed_at, created_at, updated_at";
    private static final String INSERT = "INSERT INTO users (username, password_hash, scram_salt, scram_iterations,"
            + " scram_stored_key, scram_server_key, roles, password_changed_at)"
            + " VALUES (:username, :password_hash, :scram_salt, :scram_iterations, :scram_stored_key,"
            + " :scram_server_key, CAST(:roles AS user_role[]), CASE WHEN :changed THEN now() END)"
            + " RETURNING " + COLUMNS;
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM users WHERE uid = :uid AND deleted_at IS NULL";
    private static final String BY_NAME =
            "SELECT " + COLUMNS + " FROM users WHERE username = :username AND deleted_at IS NULL";
    private static final String LIST = "SELECT " + COLUMNS + " FROM users WHERE deleted_at IS NULL ORDER BY username";
    /** A live user by name with its valid API keys ({@code k_*} columns, null for a user without one). */
    private static final String BY_NAME_WITH_KEYS = "SELECT " + SqlColumns.qualified("u", COLUMNS) + ", "
            + SqlColumns.prefixed("k", ApiKeyRepository.COLUMNS) + " FROM users u LEFT JOIN api_keys k"
            + " ON k.user_id = u.uid AND k.key_type = 'api' AND k.revoked_at IS NULL"
            + " AND (k.expires_at IS NULL OR k.expires_at > now())"
            + " WHERE u.username = :username AND u.deleted_at IS NULL ORDER BY k.created_at, k.id";
    private static final String SET_PASSWORD = "UPDATE users SET password_hash = :password_hash,"
            + " scram_stored_key = :scram_stored_key, scram_server_key = :scram_server_key,"
            + " password_changed_at = CASE WHEN :changed THEN now() END, updated_at = now()"
            + " WHERE uid = :uid AND deleted_at IS NULL";
    private static final String SET_ROLES = "UPDATE users SET roles = CAST(:roles AS user_role[]), updated_at = now()"
            + " WHERE uid = :uid AND deleted_at IS NULL";
    private static final String SOFT_DELETE =
            "UPDATE users SET deleted_at = now(), updated_at = now() WHERE uid = :uid AND deleted_at IS NULL";
    private static final String COUNT_LIVE = "SELECT count(*) FROM users WHERE deleted_at IS NULL";

    private final Jdbi jdbi;

    public UserRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** Inserts a user. A live user with the same name fails with a unique violation (SQLState 23505). */
    public User create(NewUser user) {
        try {
            return jdbi.withHandle(handle -> handle.createQuery(INSERT)
                    .bind("username", user.username())
                    .bind("password_hash", user.passwordHash())
                    .bind("scram_salt", user.scramSalt())
                    .bind("scram_iterations", user.scramIterations())
                    .bind("scram_stored_key", user.scramStoredKey())
                    .bind("scram_server_key", user.scramServerKey())
                    .bind("roles", user.roles().toArray(new String[0]))
                    .bind("changed", user.passwordChanged())
                    .map((rs, ctx) -> map(rs))
                    .one());
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    public Optional<User> findById(UUID uid) {
        return jdbi.withHandle(handle ->
                handle.createQuery(BY_ID).bind("uid", uid).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<User> findByUsername(String username) {
        return jdbi.withHandle(handle -> handle.createQuery(BY_NAME)
                .bind("username", username)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /**
     * The live user named {@code username} with its valid API keys, in one statement: what a SCRAM login reads
     * (the same as {@link #findByUsername} and {@link ApiKeyRepository#validApiKeysOf}, in one round trip).
     */
    public Optional<LoginUser> findForLogin(String username) {
        List<UserKeyRow> rows = jdbi.withHandle(handle -> handle.createQuery(BY_NAME_WITH_KEYS)
                .bind("username", username)
                .map((rs, ctx) -> new UserKeyRow(map(rs),
                        rs.getObject("k_id") == null ? null : ApiKeyRepository.map(rs, "k_")))
                .list());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LoginUser(rows.get(0).user(),
                rows.stream().map(UserKeyRow::key).filter(Objects::nonNull).toList()));
    }

    /** A row of {@link #BY_NAME_WITH_KEYS}: the user, and one of its keys or null. */
    private record UserKeyRow(User user, ApiKey key) {}

    /** Every live user, ordered by name. */
    public List<User> list() {
        return jdbi.withHandle(handle -> handle.createQuery(LIST).map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Replaces the password: the Argon2id hash and the SCRAM verifier (computed with the user's unchanged salt).
     *
     * @param changed whether to stamp {@code password_changed_at} (false clears it: the user must change it again)
     * @return whether a live user was updated
     */
    public boolean setPassword(UUID uid, String passwordHash, byte[] scramStoredKey, byte[] scramServerKey,
            boolean changed) {
        try {
            return jdbi.withHandle(handle -> handle.createUpdate(SET_PASSWORD)
                    .bind("uid", uid)
                    .bind("password_hash", passwordHash)
                    .bind("scram_stored_key", scramStoredKey)
                    .bind("scram_server_key", scramServerKey)
                    .bind("changed", changed)
                    .execute()) > 0;
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    /** @return whether a live user was updated */
    public boolean setRoles(UUID uid, List<String> roles) {
        try {
            return jdbi.withHandle(handle -> handle.createUpdate(SET_ROLES)
                    .bind("uid", uid)
                    .bind("roles", roles.toArray(new String[0]))
                    .execute()) > 0;
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    /** @return whether a live user was deleted */
    public boolean softDelete(UUID uid) {
        try {
            return jdbi.withHandle(handle -> handle.createUpdate(SOFT_DELETE).bind("uid", uid).execute()) > 0;
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    public long countLive() {
        return jdbi.withHandle(handle -> handle.createQuery(COUNT_LIVE).mapTo(Long.class).one());
    }

    static User map(ResultSet rs) throws SQLException {
        String[] roles = (String[]) rs.getArray("roles").getArray();
        return new User(
                rs.getObject("uid", UUID.class),
                rs.getString("username"),
                rs.getString("password_hash"),
                rs.getBytes("scram_salt"),
                rs.getInt("scram_iterations"),
                rs.getBytes("scram_stored_key"),
                rs.getBytes("scram_server_key"),
                Arrays.asList(roles),
                rs.getBoolean("rate_limit_exempt"),
                instant(rs, "password_changed_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
