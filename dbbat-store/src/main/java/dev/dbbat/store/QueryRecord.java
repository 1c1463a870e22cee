package dev.dbbat.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code queries}: a logged statement (behaviour §1.7). Immutable.
 *
 * @param uid the UUIDv7 id
 * @param connectionId the session
 * @param sqlText the statement as the client sent it
 * @param parameters bound parameters as {@code {"values":[...],"raw":[...],"format_codes":[...],"type_oids":[...]}}
 * @param executedAt when the proxy received it
 * @param durationMs from reception to completion, in ms with µs precision (3 decimals); empty while running
 * @param rowsAffected the count the server reported
 * @param error the error message when the statement failed or was refused
 * @param sqlState the SQLSTATE of the error
 * @param refused whether the proxy refused it
 * @param bytesTransferred result bytes sent to the client for this statement
 * @param copyFormat {@code text}, {@code csv} or {@code binary} for a COPY
 * @param copyDirection {@code in} or {@code out} for a COPY
 * @param resultsTruncated whether result capture stopped before the end of the result
 */
public record QueryRecord(
        UUID uid,
        UUID connectionId,
        String sqlText,
        Optional<Map<String, Object>> parameters,
        Instant executedAt,
        Optional<BigDecimal> durationMs,
        Optional<Long> rowsAffected,
        Optional<String> error,
        Optional<String> sqlState,
        boolean refused,
        long bytesTransferred,
        Optional<String> copyFormat,
        Optional<String> copyDirection,
        boolean resultsTruncated) {

    public QueryRecord {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(sqlText, "sqlText");
        parameters = Objects.requireNonNull(parameters, "parameters").map(QueryRecord::immutable);
        Objects.requireNonNull(executedAt, "executedAt");
        Objects.requireNonNull(durationMs, "durationMs");
        Objects.requireNonNull(rowsAffected, "rowsAffected");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(copyFormat, "copyFormat");
        Objects.requireNonNull(copyDirection, "copyDirection");
    }

    /** A statement that has started and has no outcome yet (written before its first result row). */
    public static QueryRecord started(
            UUID uid, UUID connectionId, String sqlText, Optional<Map<String, Object>> parameters, Instant executedAt) {
        return new QueryRecord(uid, connectionId, sqlText, parameters, executedAt, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false, 0, Optional.empty(), Optional.empty(), false);
    }

    /** This record with {@code resultsTruncated} set. */
    public QueryRecord truncated() {
        return new QueryRecord(uid, connectionId, sqlText, parameters, executedAt, durationMs, rowsAffected, error,
                sqlState, refused, bytesTransferred, copyFormat, copyDirection, true);
    }

    /** An immutable copy of {@code value} in its order; the store's own {@link ParametersMap} is immutable already. */
    private static Map<String, Object> immutable(Map<String, Object> value) {
        return value instanceof ParametersMap ? value : Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }
}
