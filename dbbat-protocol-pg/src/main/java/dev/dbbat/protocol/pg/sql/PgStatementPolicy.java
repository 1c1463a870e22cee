package dev.dbbat.protocol.pg.sql;

import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.protocol.pg.sql.PgStatementClassifier.Finding;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a grant's controls allow the SQL a PostgreSQL client sends (a simple-query body or the text of a
 * Parse message). The SQL is lexed like the server lexes it (comments dropped, quotes, dollar quotes and escapes
 * respected), split into statements on {@code ;}, and every statement is classified from its tokens.
 *
 * <p>Stateless and thread-safe; no regular expressions, one pass over the characters (two when a plain string holds
 * a backslash, see {@link #check}).
 */
public final class PgStatementPolicy {

    static final String READ_ONLY_WRITE = "write operations not permitted with read-only access";
    static final String READ_ONLY_BYPASS = "attempt to disable read-only mode is not permitted: "
            + "your access grant is read-only and cannot be changed for this session";
    static final String DDL_BLOCKED = "DDL operations not permitted: your access grant blocks schema modifications";
    static final String COPY_BLOCKED = "COPY not permitted: your access grant blocks COPY commands";
    static final String PASSWORD_CHANGE = "password modification is not allowed through the proxy";
    static final String UNPARSABLE = "statement could not be analysed and is refused under a read-only grant";

    private PgStatementPolicy() {}

    /**
     * Checks every statement in {@code sql} (a simple-query body may hold several, separated by {@code ;}) against
     * the grant's controls; an empty set means full access, under which only password changes are refused. Per
     * statement the order is password, read-only bypass, write, DDL, COPY; the first refusal in the batch wins.
     *
     * <p>Fail-closed under {@link Control#READ_ONLY}: SQL the lexer cannot make sense of (an unterminated quote or
     * comment) or a statement with an unknown leading keyword is refused. Since the meaning of a backslash in a
     * plain {@code '...'} string depends on the session's {@code standard_conforming_strings}, SQL with such a
     * backslash is also checked as lexed with that setting off, and refused if either reading is refused.
     *
     * @param sql the SQL text, possibly empty
     * @param controls the grant's controls
     * @return the verdict, never null
     */
    public static SqlVerdict check(String sql, Set<Control> controls) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(controls, "controls");
        if (controls.isEmpty() && !mayChangePassword(sql)) {
            // full access refuses only password changes, and this SQL cannot spell one: no lexing (the lexer's
            // tokens were about half of what the relay allocated per simple-protocol statement)
            return SqlVerdict.allow();
        }
        PgLexer.Result lexed = PgLexer.lex(sql);
        SqlVerdict verdict = verdict(lexed.tokens(), controls);
        if (!verdict.allowed()) {
            return verdict;
        }
        if (lexed.failed() && controls.contains(Control.READ_ONLY)) {
            return SqlVerdict.refuse(UNPARSABLE);
        }
        if (lexed.backslashInPlainString()) {
            PgLexer.Result escaped = PgLexer.lex(sql, false);
            if (!escaped.failed()) {
                return verdict(escaped.tokens(), controls);
            }
        }
        return SqlVerdict.allow();
    }

    /**
     * Whether {@code sql} may hold a password change, judged from its characters alone: the word {@code password}
     * in any case, or an escape through which its letters could be spelt otherwise (a backslash, as in {@code E'...'}
     * strings or plain strings read with {@code standard_conforming_strings} off; {@code U&} strings and
     * identifiers, whose {@code UESCAPE} may name any escape character). The classifier flags a password change only
     * where a word, or a string it lexes again, reads {@code password}; false here means it would not.
     */
    static boolean mayChangePassword(String sql) {
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\\'
                    || c == '&' && i > 0 && (sql.charAt(i - 1) | 0x20) == 'u'
                    || (c | 0x20) == 'p' && sql.regionMatches(true, i, "password", 0, 8)) {
                return true;
            }
        }
        return false;
    }

    private static SqlVerdict verdict(List<PgToken> tokens, Set<Control> controls) {
        for (List<PgToken> statement : PgTokens.statements(tokens)) {
            SqlVerdict verdict = verdict(PgStatementClassifier.classify(statement), controls);
            if (!verdict.allowed()) {
                return verdict;
            }
        }
        return SqlVerdict.allow();
    }

    private static SqlVerdict verdict(EnumSet<Finding> findings, Set<Control> controls) {
        boolean readOnly = controls.contains(Control.READ_ONLY);
        boolean blockDdl = controls.contains(Control.BLOCK_DDL);
        boolean blockCopy = controls.contains(Control.BLOCK_COPY);
        if (findings.contains(Finding.PASSWORD)) {
            return SqlVerdict.refuse(PASSWORD_CHANGE);
        }
        if (readOnly && (findings.contains(Finding.READ_ONLY_BYPASS) || findings.contains(Finding.UNSAFE_ENCODING))) {
            return SqlVerdict.refuse(READ_ONLY_BYPASS);
        }
        if (readOnly && findings.contains(Finding.UNKNOWN)) {
            return SqlVerdict.refuse(UNPARSABLE);
        }
        if (readOnly && findings.contains(Finding.WRITE)) {
            return SqlVerdict.refuse(READ_ONLY_WRITE);
        }
        if (blockDdl && (findings.contains(Finding.DDL) || findings.contains(Finding.UNSAFE_ENCODING))) {
            return SqlVerdict.refuse(DDL_BLOCKED);
        }
        if (blockCopy && (findings.contains(Finding.COPY) || findings.contains(Finding.UNSAFE_ENCODING))) {
            return SqlVerdict.refuse(COPY_BLOCKED);
        }
        return SqlVerdict.allow();
    }

    /**
     * COPY metadata of the first COPY statement in {@code sql}: direction {@code in} (FROM STDIN or a file) or
     * {@code out} (TO STDOUT, a file, or {@code (query) TO}); format {@code text}, {@code csv} or {@code binary},
     * from {@code FORMAT x} or the older {@code CSV} / {@code BINARY} keywords.
     *
     * @return empty when {@code sql} holds no COPY statement, or one that cannot be read
     */
    public static Optional<CopyInfo> copyInfo(String sql) {
        return firstCopy(sql).map(copy -> new CopyInfo(copy.direction(), copy.format()));
    }

    /**
     * Column names of the explicit column list of the first COPY statement in {@code sql}, e.g.
     * {@code COPY t (a, "B") FROM STDIN} gives {@code [a, B]} (unquoted names folded to lower case).
     *
     * @return the names, empty when there is no column list
     */
    public static List<String> copyColumns(String sql) {
        return firstCopy(sql).map(PgCopyStatement::columns).orElse(List.of());
    }

    private static Optional<PgCopyStatement> firstCopy(String sql) {
        Objects.requireNonNull(sql, "sql");
        for (List<PgToken> statement : PgTokens.statements(PgLexer.lex(sql).tokens())) {
            if (statement.get(0).isWord("copy")) {
                return PgCopyStatement.parse(statement);
            }
        }
        return Optional.empty();
    }
}
