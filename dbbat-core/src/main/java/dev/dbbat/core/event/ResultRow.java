package dev.dbbat.core.event;

import java.util.List;
import java.util.Objects;

/**
 * One captured result row, already decoded to plain Java values so that it can outlive the network buffer.
 *
 * <p>Values are {@code null}, {@link String}, {@link Long}, {@link java.math.BigDecimal}, {@link Double},
 * {@link Boolean}, {@code byte[]} or {@link JsonText} (embedded JSON).
 *
 * @param rowNumber 1-based position in the result
 * @param columnNames column names when the protocol has them (PostgreSQL, Oracle: stored as a JSON object),
 *     empty for positional rows (MySQL: stored as a JSON array)
 * @param values column values
 * @param sizeBytes the size of the row's values on the wire
 */
public record ResultRow(long rowNumber, List<String> columnNames, List<Object> values, long sizeBytes) {

    public ResultRow {
        Objects.requireNonNull(columnNames, "columnNames");
        Objects.requireNonNull(values, "values");
    }

    /** A column value that is JSON text and is stored as embedded JSON. */
    public record JsonText(String json) {
        public JsonText {
            Objects.requireNonNull(json, "json");
        }
    }
}
