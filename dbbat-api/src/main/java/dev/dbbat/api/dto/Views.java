package dev.dbbat.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.dbbat.store.ApiKey;
import dev.dbbat.store.AuditEntry;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.Database;
import dev.dbbat.store.Grant;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.QueryRowRecord;
import dev.dbbat.store.User;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Response bodies of the REST API. None holds a hash, an encrypted blob, a password or a token (except once). */
public final class Views {
    private Views() {}

    /** A user. */
    public record UserView(UUID uid, String username, List<String> roles, boolean rateLimitExempt,
            boolean passwordChangeRequired, Instant createdAt, Instant updatedAt) {
        public static UserView of(User user) {
            return new UserView(user.uid(), user.username(), user.roles(), user.rateLimitExempt(),
                    user.passwordChangedAt() == null, user.createdAt(), user.updatedAt());
        }
    }

    /** A database as admins see it: no password ever, empty fields omitted. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record DatabaseView(UUID uid, String name, String description, String host, Integer port,
            String databaseName, String username, String sslMode, String protocol, String oracleServiceName,
            UUID createdBy, String readonlyUsername, boolean hasReadonlyCredential, Instant createdAt,
            Instant updatedAt) {
        public static DatabaseView of(Database db) {
            return new DatabaseView(db.uid(), db.name(), db.description(), db.host(), db.port(), db.databaseName(),
                    db.username(), db.sslMode(), db.protocol(), db.oracleServiceName(), db.createdBy(),
                    db.readonlyUsername(), db.hasReadOnlyCredential(), db.createdAt(), db.updatedAt());
        }
    }

    /** A database as viewers and connectors see it. */
    public record DatabaseLimitedView(UUID uid, String name, String description, String protocol) {
        public static DatabaseLimitedView of(Database db) {
            return new DatabaseLimitedView(db.uid(), db.name(), db.description(), db.protocol());
        }
    }

    /** A grant with its live usage over its window. */
    public record GrantView(UUID uid, UUID userId, UUID databaseId, List<String> controls, UUID grantedBy,
            Instant startsAt, Instant expiresAt, Instant revokedAt, UUID revokedBy, Long maxQueryCounts,
            Long maxBytesTransferred, Instant createdAt, long queryCount, long bytesTransferred) {
        public static GrantView of(Grant grant) {
            return new GrantView(grant.uid(), grant.userId(), grant.databaseId(), grant.controls(),
                    grant.grantedBy(), grant.startsAt(), grant.expiresAt(), grant.revokedAt(), grant.revokedBy(),
                    grant.maxQueryCounts(), grant.maxBytesTransferred(), grant.createdAt(), grant.queryCount(),
                    grant.bytesTransferred());
        }
    }

    /** An API key or web session, without its hash. */
    public record ApiKeyView(UUID id, UUID userId, String name, String keyPrefix, String keyType, Instant expiresAt,
            Instant lastUsedAt, long requestCount, Instant createdAt, Instant revokedAt, UUID revokedBy) {
        public static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id(), key.userId(), key.name(), key.keyPrefix(), key.keyType(),
                    key.expiresAt(), key.lastUsedAt(), key.requestCount(), key.createdAt(), key.revokedAt(),
                    key.revokedBy());
        }
    }

    /** A key just created: the only response that ever holds the plaintext {@code key}. */
    public record CreatedKeyView(UUID id, String name, String key, String keyPrefix, Instant expiresAt,
            Instant createdAt) {
        @Override
        public String toString() {
            return "CreatedKeyView[" + id + "]";
        }
    }

    /** A proxied session. */
    public record ConnectionView(UUID uid, UUID userId, UUID databaseId, UUID grantId, String protocol,
            String sourceIp, Instant connectedAt, Instant lastActivityAt, Instant disconnectedAt, String closeReason,
            long queries, long bytesTransferred) {
        public static ConnectionView of(ConnectionRecord c) {
            return new ConnectionView(c.uid(), c.userId(), c.databaseId(), c.grantId().orElse(null), c.protocol(),
                    c.sourceIp(), c.connectedAt(), c.lastActivityAt(), c.disconnectedAt().orElse(null),
                    c.closeReason().orElse(null), c.queries(), c.bytesTransferred());
        }
    }

    /** A logged statement (without its rows). */
    public record QueryView(UUID uid, UUID connectionId, String sqlText,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> parameters, Instant executedAt,
            BigDecimal durationMs, Long rowsAffected, String error, String sqlState, boolean refused,
            long bytesTransferred, @JsonInclude(JsonInclude.Include.NON_NULL) String copyFormat,
            @JsonInclude(JsonInclude.Include.NON_NULL) String copyDirection, boolean resultsTruncated) {
        public static QueryView of(QueryRecord q) {
            return new QueryView(q.uid(), q.connectionId(), q.sqlText(), q.parameters().orElse(null),
                    q.executedAt(), q.durationMs().orElse(null), q.rowsAffected().orElse(null),
                    q.error().orElse(null), q.sqlState().orElse(null), q.refused(), q.bytesTransferred(),
                    q.copyFormat().orElse(null), q.copyDirection().orElse(null), q.resultsTruncated());
        }
    }

    /** One captured result row; {@code row_data} is the stored JSON as is. */
    public record RowView(int rowNumber, @JsonRawValue String rowData, long rowSizeBytes) {
        public static RowView of(QueryRowRecord row) {
            return new RowView(row.rowNumber(), row.rowData(), row.rowSizeBytes());
        }
    }

    /** One page of rows. {@code next_cursor} is omitted on the last page. */
    public record RowsPageView(List<RowView> rows,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor, boolean hasMore, long totalRows) {}

    /** An audit event. */
    public record AuditEventView(UUID uid, String eventType, UUID userId, UUID performedBy,
            Map<String, Object> details, Instant createdAt) {
        public static AuditEventView of(AuditEntry e) {
            return new AuditEventView(e.uid(), e.eventType(), e.userId().orElse(null),
                    e.performedBy().orElse(null), e.details(), e.createdAt());
        }
    }

    /** {@code {"message": "..."}}. */
    public record Message(String message) {}

    /** {@code POST /auth/login} response. */
    public record LoginView(String token, Instant expiresAt, LoginUser user) {
        @Override
        public String toString() {
            return "LoginView[" + user.username() + "]";
        }
    }

    /** The user part of {@link LoginView}. */
    public record LoginUser(UUID uid, String username, List<String> roles, boolean passwordChangeRequired) {}

    /** {@code GET /auth/me} response. */
    public record MeView(UUID uid, String username, List<String> roles, boolean passwordChangeRequired,
            String authMethod, SessionView session) {}

    /** The session part of {@link MeView}; null timestamps for Basic auth. */
    public record SessionView(Instant expiresAt, Instant createdAt) {}
}
