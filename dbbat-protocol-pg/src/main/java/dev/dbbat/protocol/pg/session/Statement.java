package dev.dbbat.protocol.pg.session;

import dev.dbbat.protocol.pg.message.RowDescription;
import java.util.List;

/** A prepared statement as the client defined it. Single-threaded. */
final class Statement {
    final String sql;
    long[] types;
    List<RowDescription.Column> columns;

    Statement(String sql, long[] types) {
        this.sql = sql;
        this.types = types;
    }
}
