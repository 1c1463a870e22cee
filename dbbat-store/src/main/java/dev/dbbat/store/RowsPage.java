package dev.dbbat.store;

import java.util.List;

/**
 * One page of a statement's captured rows ({@link QueryRepository#rows}). Immutable.
 *
 * @param rows the rows, by {@code row_number}
 * @param hasMore whether rows remain after this page
 * @param nextOffset the offset of the next page ({@code offset + rows.size()})
 * @param totalRows all captured rows of the statement
 */
public record RowsPage(List<QueryRowRecord> rows, boolean hasMore, long nextOffset, long totalRows) {
    public RowsPage {
        rows = List.copyOf(rows);
    }
}
