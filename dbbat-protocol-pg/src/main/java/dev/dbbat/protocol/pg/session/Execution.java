package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.protocol.pg.message.RowDescription;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** One statement in flight: a simple Query message or one Execute. Single-threaded (the session's loop). */
final class Execution {
    final QueryEvent event;
    final Portal portal;
    List<RowDescription.Column> columns;
    /** Column names of captured rows, built once (shared by every row of the statement). */
    List<String> names;
    Optional<CopyInfo> copy = Optional.empty();
    CopyCapture copyCapture;
    long bytes;
    long rowNumber;
    long capturedBytes;
    boolean truncated;
    long rowsAffected = -1;
    String error;
    String sqlState;

    Execution(QueryEvent event, Portal portal) {
        this.event = event;
        this.portal = portal;
    }

    /** The result columns: from the RowDescription of a simple query or a described portal, else the statement. */
    List<RowDescription.Column> columns() {
        if (columns != null) {
            return columns;
        }
        if (portal != null) {
            columns = portal.resultColumns();
        }
        return columns == null ? List.of() : columns;
    }

    /** The names of captured rows: the result columns', {@code col_<n>} (1-based) where there is none. */
    List<String> columnNames(int count) {
        if (names == null || names.size() != count) {
            List<RowDescription.Column> described = columns();
            String[] result = new String[count];
            for (int i = 0; i < count; i++) {
                result[i] = i < described.size() ? described.get(i).name() : "col_" + (i + 1);
            }
            names = List.of(result);
        }
        return names;
    }

    QueryOutcome outcome() {
        return new QueryOutcome(System.nanoTime() - event.receivedNanos(),
                rowsAffected >= 0 ? OptionalLong.of(rowsAffected) : OptionalLong.empty(), Optional.ofNullable(error),
                Optional.ofNullable(sqlState), false, bytes, rowNumber, truncated, copy);
    }
}
