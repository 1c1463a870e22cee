package dev.dbbat.store;

import dev.dbbat.store.internal.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code oauth_states} table: one-time values with an expiry. A value is consumed by a hard delete, so it can be
 * used at most once even under concurrent attempts. Thread-safe.
 */
public final class OAuthStateRepository {
    private static final String COLUMNS =
            "uid, state, provider, redirect_url, metadata::text AS metadata, expires_at, created_at";
    private static final String INSERT = "INSERT INTO oauth_states (state, provider, redirect_url, metadata,"
            + " expires_at) VALUES (:state, :provider, :redirect_url, CAST(:metadata AS jsonb), :expires_at)"
            + " RETURNING " + COLUMNS;
    private static final String CONSUME = "DELETE FROM oauth_states WHERE state = :state RETURNING " + COLUMNS;
    private static final String PURGE = "DELETE FROM oauth_states WHERE expires_at < :now";

    private final Jdbi jdbi;

    public OAuthStateRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** Stores a value. A duplicate {@code state} fails with a unique violation (SQLState 23505). */
    public OAuthState insert(String state, String provider, Optional<String> redirectUrl,
            Map<String, Object> metadata, Instant expiresAt) {
        return jdbi.withHandle(handle -> handle.createQuery(INSERT)
                .bind("state", Objects.requireNonNull(state, "state"))
                .bind("provider", Objects.requireNonNull(provider, "provider"))
                .bind("redirect_url", redirectUrl.orElse(null))
                .bind("metadata", Json.write(metadata))
                .bind("expires_at", Objects.requireNonNull(expiresAt, "expiresAt"))
                .map((rs, ctx) -> map(rs))
                .one());
    }

    /**
     * Deletes the row holding {@code state} and returns it when it belongs to {@code provider} and has not expired at
     * {@code now}. Any row found is deleted, valid or not, so a value never works twice.
     */
    public Optional<OAuthState> consume(String state, String provider, Instant now) {
        Optional<OAuthState> row = jdbi.withHandle(handle -> handle.createQuery(CONSUME)
                .bind("state", state)
                .map((rs, ctx) -> map(rs))
                .findOne());
        return row.filter(found -> found.provider().equals(provider) && found.validAt(now));
    }

    /** Deletes every row expired before {@code now}; returns how many. */
    public int purgeExpired(Instant now) {
        return jdbi.withHandle(handle -> handle.createUpdate(PURGE).bind("now", now).execute());
    }

    private static OAuthState map(ResultSet rs) throws SQLException {
        return new OAuthState(
                rs.getObject("uid", UUID.class),
                rs.getString("state"),
                rs.getString("provider"),
                Optional.ofNullable(rs.getString("redirect_url")),
                Json.readMap(rs.getString("metadata")),
                UserRepository.instant(rs, "expires_at"),
                UserRepository.instant(rs, "created_at"));
    }
}
