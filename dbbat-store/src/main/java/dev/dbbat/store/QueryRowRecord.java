package dev.dbbat.store;

import java.util.Objects;
import java.util.UUID;

/**
 * One row of {@code query_rows}: a captured result row (behaviour §1.8). Immutable.
 *
 * @param uid the UUIDv7 id
 * @param queryId the statement
 * @param rowNumber 1-based position in the result
 * @param rowData the row as JSON text (an object by column name, or an array by position)
 * @param rowSizeBytes the size of the row's values on the wire
 */
public record QueryRowRecord(UUID uid, UUID queryId, int rowNumber, String rowData, long rowSizeBytes) {
    public QueryRowRecord {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(rowData, "rowData");
    }
}
