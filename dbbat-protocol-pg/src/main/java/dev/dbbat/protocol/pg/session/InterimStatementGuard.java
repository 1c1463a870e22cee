package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.CopyInfo;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Prefix rules used until the lexer-based policy of {@code ..pg.sql} is wired in. Stateless. */
final class InterimStatementGuard implements StatementGuard {
    private static final List<String> WRITES = List.of("INSERT", "UPDATE", "DELETE", "DROP", "TRUNCATE", "CREATE",
            "ALTER", "GRANT", "REVOKE", "MERGE", "COPY ");
    private static final List<String> DDL = List.of("CREATE", "ALTER", "DROP", "TRUNCATE");

    @Override
    public Optional<String> refusal(String sql, Set<Control> controls) {
        String text = sql.strip().toUpperCase(Locale.ROOT);
        if ((text.startsWith("ALTER USER") || text.startsWith("ALTER ROLE")) && text.contains("PASSWORD")) {
            return Optional.of("password modification is not allowed through the proxy");
        }
        if (controls.contains(Control.READ_ONLY) && WRITES.stream().anyMatch(text::startsWith)
                && !(text.startsWith("COPY ") && text.contains(" TO "))) {
            return Optional.of("write operations not permitted with read-only access");
        }
        if (controls.contains(Control.BLOCK_DDL) && DDL.stream().anyMatch(text::startsWith)) {
            return Optional.of("DDL operations not permitted: your access grant blocks schema modifications");
        }
        if (controls.contains(Control.BLOCK_COPY) && text.startsWith("COPY ")) {
            return Optional.of("COPY not permitted: your access grant blocks COPY commands");
        }
        return Optional.empty();
    }

    @Override
    public Optional<CopyInfo> copyInfo(String sql) {
        String text = sql.strip().toUpperCase(Locale.ROOT);
        if (!text.startsWith("COPY ")) {
            return Optional.empty();
        }
        String format = text.contains("BINARY") ? "binary" : text.contains("CSV") ? "csv" : "text";
        return Optional.of(new CopyInfo(text.contains(" FROM ") ? "in" : "out", format));
    }

    @Override
    public List<String> copyColumns(String sql) {
        int open = sql.indexOf('(');
        int close = sql.indexOf(')');
        String upper = sql.toUpperCase(Locale.ROOT);
        int direction = Math.max(upper.indexOf(" TO "), upper.indexOf(" FROM "));
        if (open < 0 || close < open || direction < close || upper.stripLeading().startsWith("COPY (")) {
            return List.of();
        }
        return List.of(sql.substring(open + 1, close).split("\\s*,\\s*")).stream().map(String::strip).toList();
    }
}
