-- DBBat store, seed-era schema (behaviour.md §1) with the [rec] corrections:
--  * user names and database names are unique among live rows only (soft delete frees the name);
--  * copy_format / copy_direction are persisted, and queries carry a results_truncated flag;
--  * token prefixes are 16 characters (12 random), so collisions are not a practical concern;
--  * a SCRAM-SHA-256 verifier is kept beside each Argon2id hash, for proxy logins;
--  * a database may carry an optional read-only upstream credential.

CREATE TYPE user_role AS ENUM ('admin', 'viewer', 'connector');

CREATE TABLE users (
    uid                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    username            TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    scram_salt          BYTEA NOT NULL,
    scram_iterations    INT NOT NULL,
    scram_stored_key    BYTEA NOT NULL,
    scram_server_key    BYTEA NOT NULL,
    roles               user_role[] NOT NULL DEFAULT '{connector}',
    rate_limit_exempt   BOOLEAN NOT NULL DEFAULT false,
    password_changed_at TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at          TIMESTAMPTZ
);
CREATE UNIQUE INDEX users_username_live_key ON users (username) WHERE deleted_at IS NULL;
CREATE INDEX users_roles_idx ON users USING GIN (roles);
CREATE INDEX users_live_idx ON users (deleted_at) WHERE deleted_at IS NULL;

CREATE TABLE api_keys (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    name             VARCHAR(255) NOT NULL,
    key_hash         VARCHAR(255) NOT NULL,
    key_prefix       VARCHAR(16) NOT NULL UNIQUE,
    key_type         VARCHAR(10) NOT NULL DEFAULT 'api' CHECK (key_type IN ('api', 'web')),
    scram_stored_key BYTEA,
    scram_server_key BYTEA,
    expires_at       TIMESTAMPTZ,
    last_used_at     TIMESTAMPTZ,
    request_count    BIGINT NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at       TIMESTAMPTZ,
    revoked_by       UUID REFERENCES users (uid),
    o5logon_salt     BYTEA,
    o5logon_verifier BYTEA
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);
CREATE INDEX api_keys_key_type_idx ON api_keys (key_type);
CREATE INDEX api_keys_expires_at_idx ON api_keys (expires_at);

CREATE TABLE databases (
    uid                         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                        TEXT NOT NULL,
    description                 TEXT NOT NULL DEFAULT '',
    host                        TEXT NOT NULL,
    port                        INT NOT NULL CHECK (port BETWEEN 1 AND 65535),
    database_name               TEXT NOT NULL DEFAULT '',
    username                    TEXT NOT NULL,
    password_encrypted          BYTEA NOT NULL,
    readonly_username           TEXT,
    readonly_password_encrypted BYTEA,
    ssl_mode                    TEXT NOT NULL DEFAULT 'prefer',
    protocol                    TEXT NOT NULL DEFAULT 'postgresql'
                                CHECK (protocol IN ('postgresql', 'oracle', 'mysql', 'mariadb')),
    oracle_service_name         TEXT,
    created_by                  UUID REFERENCES users (uid),
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at                  TIMESTAMPTZ,
    CHECK ((readonly_username IS NULL) = (readonly_password_encrypted IS NULL))
);
CREATE UNIQUE INDEX databases_name_live_key ON databases (name) WHERE deleted_at IS NULL;
CREATE INDEX databases_live_idx ON databases (deleted_at) WHERE deleted_at IS NULL;

CREATE TABLE access_grants (
    uid                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               UUID NOT NULL REFERENCES users (uid),
    database_id           UUID NOT NULL REFERENCES databases (uid),
    controls              TEXT[] NOT NULL DEFAULT '{}'
                          CHECK (controls <@ ARRAY['read_only', 'block_copy', 'block_ddl']::TEXT[]),
    granted_by            UUID NOT NULL REFERENCES users (uid),
    starts_at             TIMESTAMPTZ NOT NULL,
    expires_at            TIMESTAMPTZ NOT NULL,
    revoked_at            TIMESTAMPTZ,
    revoked_by            UUID REFERENCES users (uid),
    max_query_counts      BIGINT CHECK (max_query_counts >= 0),
    max_bytes_transferred BIGINT CHECK (max_bytes_transferred >= 0),
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (starts_at < expires_at)
);
CREATE INDEX access_grants_user_id_idx ON access_grants (user_id);
CREATE INDEX access_grants_database_id_idx ON access_grants (database_id);
CREATE INDEX access_grants_expires_at_idx ON access_grants (expires_at);
CREATE INDEX access_grants_controls_idx ON access_grants USING GIN (controls);
CREATE INDEX access_grants_active_idx ON access_grants (user_id, database_id) WHERE revoked_at IS NULL;

CREATE TABLE connections (
    uid               UUID PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (uid),
    database_id       UUID NOT NULL REFERENCES databases (uid),
    grant_id          UUID REFERENCES access_grants (uid),
    protocol          TEXT NOT NULL DEFAULT 'postgresql',
    source_ip         INET NOT NULL,
    connected_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_activity_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    disconnected_at   TIMESTAMPTZ,
    close_reason      TEXT,
    queries           INT NOT NULL DEFAULT 0,
    bytes_transferred BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX connections_user_id_idx ON connections (user_id);
CREATE INDEX connections_database_id_idx ON connections (database_id);
CREATE INDEX connections_connected_at_idx ON connections (connected_at);
CREATE INDEX connections_open_idx ON connections (uid) WHERE disconnected_at IS NULL;

CREATE TABLE queries (
    uid               UUID PRIMARY KEY,
    connection_id     UUID NOT NULL REFERENCES connections (uid) ON DELETE CASCADE,
    sql_text          TEXT NOT NULL,
    parameters        JSONB,
    executed_at       TIMESTAMPTZ NOT NULL,
    duration_ms       NUMERIC(12, 3),
    rows_affected     BIGINT,
    error             TEXT,
    sql_state         TEXT,
    refused           BOOLEAN NOT NULL DEFAULT false,
    bytes_transferred BIGINT NOT NULL DEFAULT 0,
    copy_format       TEXT CHECK (copy_format IN ('text', 'csv', 'binary')),
    copy_direction    TEXT CHECK (copy_direction IN ('in', 'out')),
    results_truncated BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX queries_connection_id_idx ON queries (connection_id);
CREATE INDEX queries_executed_at_idx ON queries (executed_at);

CREATE TABLE query_rows (
    uid            UUID PRIMARY KEY,
    query_id       UUID NOT NULL REFERENCES queries (uid) ON DELETE CASCADE,
    row_number     INT NOT NULL,
    row_data       JSONB NOT NULL,
    row_size_bytes BIGINT NOT NULL
);
CREATE INDEX query_rows_query_id_idx ON query_rows (query_id, row_number);

CREATE TABLE audit_log (
    uid          UUID PRIMARY KEY,
    event_type   TEXT NOT NULL,
    user_id      UUID REFERENCES users (uid),
    performed_by UUID REFERENCES users (uid),
    details      JSONB,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_user_id_idx ON audit_log (user_id);
CREATE INDEX audit_log_performed_by_idx ON audit_log (performed_by);
CREATE INDEX audit_log_event_type_idx ON audit_log (event_type);
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at);

CREATE TABLE user_identities (
    uid          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    provider_id  TEXT NOT NULL,
    email        TEXT,
    display_name TEXT,
    metadata     JSONB,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX user_identities_provider_key ON user_identities (provider, provider_id) WHERE deleted_at IS NULL;
CREATE INDEX user_identities_user_id_idx ON user_identities (user_id) WHERE deleted_at IS NULL;

CREATE TABLE oauth_states (
    uid          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    state        TEXT NOT NULL UNIQUE,
    provider     TEXT NOT NULL,
    redirect_url TEXT,
    metadata     JSONB,
    expires_at   TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_expires_at_idx ON oauth_states (expires_at);
