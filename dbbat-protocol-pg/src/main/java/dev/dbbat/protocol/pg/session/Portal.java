package dev.dbbat.protocol.pg.session;

import dev.dbbat.protocol.pg.message.Bind;
import dev.dbbat.protocol.pg.message.RowDescription;
import java.util.ArrayList;
import java.util.List;

/** A bound portal. Single-threaded. */
final class Portal {
    final Statement statement;
    final Bind bind;
    List<RowDescription.Column> columns;

    Portal(Statement statement, Bind bind) {
        this.statement = statement;
        this.bind = bind;
    }

    /** Columns from a Describe of the portal, else the statement's with the Bind's result formats. */
    List<RowDescription.Column> resultColumns() {
        if (columns != null) {
            return columns;
        }
        if (statement == null || statement.columns == null) {
            return null;
        }
        List<RowDescription.Column> result = new ArrayList<>();
        for (int i = 0; i < statement.columns.size(); i++) {
            RowDescription.Column each = statement.columns.get(i);
            result.add(new RowDescription.Column(each.name(), each.typeOid(), bind.resultFormat(i)));
        }
        return result;
    }
}
