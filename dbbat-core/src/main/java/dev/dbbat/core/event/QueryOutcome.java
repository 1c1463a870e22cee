package dev.dbbat.core.event;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a statement ended.
 *
 * @param durationNanos from reception to completion
 * @param rowsAffected the count the server reported (rows returned or modified), when it reported one
 * @param error the error message when the statement failed or was refused
 * @param sqlState the SQLSTATE of the error, when known
 * @param refused whether the proxy refused it (it never reached the upstream)
 * @param bytes result bytes sent to the client for this statement
 * @param rowsCaptured rows handed to {@code onResultRow}
 * @param resultsTruncated whether capture stopped at a limit before the end of the result
 * @param copy COPY metadata, when the statement was a COPY
 */
public record QueryOutcome(
        long durationNanos,
        OptionalLong rowsAffected,
        Optional<String> error,
        Optional<String> sqlState,
        boolean refused,
        long bytes,
        long rowsCaptured,
        boolean resultsTruncated,
        Optional<CopyInfo> copy) {

    public QueryOutcome {
        Objects.requireNonNull(rowsAffected, "rowsAffected");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(copy, "copy");
    }

    /** A statement the proxy refused before forwarding it. */
    public static QueryOutcome refused(long durationNanos, String sqlState, String message) {
        return new QueryOutcome(durationNanos, OptionalLong.empty(), Optional.of(message), Optional.of(sqlState), true,
                0, 0, false, Optional.empty());
    }
}
