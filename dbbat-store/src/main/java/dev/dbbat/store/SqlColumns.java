package dev.dbbat.store;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Column lists of one table reused in a join: qualified by the table's alias, or labelled with a prefix. */
final class SqlColumns {
    private SqlColumns() {}

    /** {@code "a, b::text AS b"} with alias {@code t}: {@code "t.a, t.b::text AS b"} (labels unchanged). */
    static String qualified(String alias, String columns) {
        return Arrays.stream(columns.split(",")).map(String::trim).map(column -> alias + "." + column)
                .collect(Collectors.joining(", "));
    }

    /** {@code "a, b"} with alias {@code t}: {@code "t.a AS t_a, t.b AS t_b"}; plain column names only. */
    static String prefixed(String alias, String columns) {
        return Arrays.stream(columns.split(",")).map(String::trim)
                .map(column -> alias + "." + column + " AS " + alias + "_" + column)
                .collect(Collectors.joining(", "));
    }
}
