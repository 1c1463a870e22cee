package dev.dbbat.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The {@code api_keys} table (API keys and web sessions). Thread-safe. */
public final class ApiKeyRepository {
    static final String COLUMNS = "id, user_id, name, key_hash, key_prefix, key_type, scram_stored_key,"
            + " scram_server_key, expires_at, last_used_at, request_count, created_at, revoked_at, revoked_by,"
            + " o5logon_salt, o5logon_verifier";
    private static final String INSERT = "INSERT INTO api_keys (user_id, name, key_hash, key_prefix, key_type,"
            + " scram_stored_key, scram_server_key, expires_at, o5logon_salt, o5logon_verifier) VALUES (:user_id,"
            + " :name, :key_hash, :key_prefix, :key_type, :scram_stored_key, :scram_server_key, :expires_at,"
            + " :o5logon_salt, :o5logon_verifier) RETURNING " + COLUMNS;
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM api_keys WHERE id = :id";
    private static final String BY_PREFIX = "SELECT " + COLUMNS + " FROM api_keys WHERE key_prefix = :key_prefix";
    private static final String LIST = "SELECT " + COLUMNS + " FROM api_keys WHERE (:user_id::uuid IS NULL OR user_id"
            + " = :user_id::uuid) AND (:key_type::text IS NULL OR key_type = :key_type::text) AND (:all OR"
            + " (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))) ORDER BY created_at DESC, id";
    private static final String VALID_API_KEYS_OF = "SELECT " + COLUMNS + " FROM api_keys WHERE user_id = :user_id"
            + " AND key_type = 'api' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"
            + " ORDER BY created_at";
    private static final String REVOKE = "UPDATE api_keys SET revoked_at = now(), revoked_by = :revoked_by"
            + " WHERE id = :id AND revoked_at IS NULL";
    private static final String REVOKE_SESSIONS = "UPDATE api_keys SET revoked_at = now(), revoked_by = :revoked_by"
            + " WHERE user_id = :user_id AND key_type = 'web' AND revoked_at IS NULL"
            + " AND (:except::uuid IS NULL OR id <> :except::uuid)";
    private static final String TOUCH =
            "UPDATE api_keys SET last_used_at = now(), request_count = request_count + 1 WHERE id = :id";
    private static final String PURGE_WEB = "DELETE FROM api_keys WHERE key_type = 'web'"
            + " AND (expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day')";

    private final Jdbi jdbi;

    public ApiKeyRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** Inserts a key. A prefix collision fails with a unique violation (SQLState 23505); callers retry. */
    public ApiKey insert(NewApiKey key) {
        try {
            return jdbi.withHandle(handle -> handle.createQuery(INSERT)
                    .bind("user_id", key.userId())
                    .bind("name", key.name())
                    .bind("key_hash", key.keyHash())
                    .bind("key_prefix", key.keyPrefix())
                    .bind("key_type", key.keyType())
                    .bind("scram_stored_key", key.scramStoredKey())
                    .bind("scram_server_key", key.scramServerKey())
                    .bind("expires_at", key.expiresAt())
                    .bind("o5logon_salt", key.o5logonSalt())
                    .bind("o5logon_verifier", key.o5logonVerifier())
                    .map((rs, ctx) -> map(rs))
                    .one());
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    public Optional<ApiKey> findById(UUID id) {
        return jdbi.withHandle(handle ->
                handle.createQuery(BY_ID).bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<ApiKey> findByPrefix(String prefix) {
        return jdbi.withHandle(handle -> handle.createQuery(BY_PREFIX)
                .bind("key_prefix", prefix)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /** Keys matching {@code filter}, newest first. */
    public List<ApiKey> list(ApiKeyFilter filter) {
        return jdbi.withHandle(handle -> handle.createQuery(LIST)
                .bind("user_id", filter.userId().orElse(null))
                .bind("key_type", filter.keyType().orElse(null))
                .bind("all", filter.includeInactive())
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /** The valid (not revoked, not expired) {@code api} keys of a user, oldest first. */
    public List<ApiKey> validApiKeysOf(UUID userId) {
        return jdbi.withHandle(handle -> handle.createQuery(VALID_API_KEYS_OF)
                .bind("user_id", userId)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /** @return false when the key does not exist or is already revoked */
    public boolean revoke(UUID id, UUID revokedBy) {
        try {
            return jdbi.withHandle(handle ->
                    handle.createUpdate(REVOKE).bind("id", id).bind("revoked_by", revokedBy).execute()) > 0;
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    /**
     * Revokes every live web session of a user (after a password change), except {@code except} when present.
     *
     * @return how many were revoked
     */
    public int revokeWebSessionsOf(UUID userId, UUID revokedBy, Optional<UUID> except) {
        try {
            return jdbi.withHandle(handle -> handle.createUpdate(REVOKE_SESSIONS)
                    .bind("user_id", userId)
                    .bind("revoked_by", revokedBy)
                    .bind("except", except.orElse(null))
                    .execute());
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    /** Records one use: {@code last_used_at = now()}, {@code request_count + 1}. */
    public void touch(UUID id) {
        jdbi.useHandle(handle -> handle.createUpdate(TOUCH).bind("id", id).execute());
    }

    /** Deletes web sessions expired or revoked for more than a day; returns how many. */
    public int purgeExpiredWebSessions() {
        return jdbi.withHandle(handle -> handle.createUpdate(PURGE_WEB).execute());
    }

    static ApiKey map(ResultSet rs) throws SQLException {
        return map(rs, "");
    }

    /** Maps the columns of {@link #COLUMNS}, each labelled {@code prefix + name}. */
    static ApiKey map(ResultSet rs, String prefix) throws SQLException {
        return new ApiKey(
                rs.getObject(prefix + "id", UUID.class),
                rs.getObject(prefix + "user_id", UUID.class),
                rs.getString(prefix + "name"),
                rs.getString(prefix + "key_hash"),
                rs.getString(prefix + "key_prefix"),
                rs.getString(prefix + "key_type"),
                rs.getBytes(prefix + "scram_stored_key"),
                rs.getBytes(prefix + "scram_server_key"),
                UserRepository.instant(rs, prefix + "expires_at"),
                UserRepository.instant(rs, prefix + "last_used_at"),
                rs.getLong(prefix + "request_count"),
                UserRepository.instant(rs, prefix + "created_at"),
                UserRepository.instant(rs, prefix + "revoked_at"),
                rs.getObject(prefix + "revoked_by", UUID.class),
                rs.getBytes(prefix + "o5logon_salt"),
                rs.getBytes(prefix + "o5logon_verifier"));
    }
}
