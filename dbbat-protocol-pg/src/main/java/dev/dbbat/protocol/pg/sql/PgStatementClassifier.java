package dev.dbbat.protocol.pg.sql;

import static dev.dbbat.protocol.pg.sql.PgTokens.containsPair;
import static dev.dbbat.protocol.pg.sql.PgTokens.containsWord;
import static dev.dbbat.protocol.pg.sql.PgTokens.indexOfTopLevelWord;
import static dev.dbbat.protocol.pg.sql.PgTokens.is;
import static dev.dbbat.protocol.pg.sql.PgTokens.isWord;

import dev.dbbat.protocol.pg.sql.PgToken.Kind;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies one statement (a token list without {@code ;}) into the findings that grant controls act on. Works on
 * tokens only, so comments and quoted text never count as keywords. Stateless and thread-safe.
 */
final class PgStatementClassifier {

    /** What a statement does, as far as grants care. */
    enum Finding {
        /** Changes a role's password. */
        PASSWORD,
        /** Tries to leave read-only mode or change the session's identity. */
        READ_ONLY_BYPASS,
        /** Switches to a client encoding in which the proxy cannot lex like the server. */
        UNSAFE_ENCODING,
        /** Not a statement this classifier understands. */
        UNKNOWN,
        /** Writes data, takes write locks, or has another side effect. */
        WRITE,
        /** Changes the schema (or creates a table through SELECT INTO). */
        DDL,
        /** A COPY, either direction. */
        COPY
    }

    private static final int MAX_NESTING = 8;
    private static final Set<String> FALSE_WORDS = Set.of("false", "off", "0", "no");
    private static final Set<String> EXPLAINABLE = Set.of(
            "select", "values", "table", "with", "insert", "update", "delete", "merge", "execute", "declare",
            "create");

    private PgStatementClassifier() {}

    static EnumSet<Finding> classify(List<PgToken> statement) {
        EnumSet<Finding> findings = EnumSet.noneOf(Finding.class);
        classify(statement, findings, 0);
        return findings;
    }

    private static void classify(List<PgToken> statement, EnumSet<Finding> findings, int nesting) {
        if (statement.isEmpty() || nesting > MAX_NESTING) {
            findings.add(Finding.UNKNOWN);
            return;
        }
        PgToken first = statement.get(0);
        if (first.is(Kind.LPAREN)) {
            scanExpressions(statement, findings);
            return;
        }
        if (!first.is(Kind.WORD)) {
            findings.add(Finding.UNKNOWN);
            return;
        }
        switch (first.text()) {
            case "select", "values", "table", "with" -> scanExpressions(statement, findings);
            case "show", "fetch", "move", "close", "deallocate", "listen", "unlisten", "savepoint", "release",
                    "end" -> {
                // no side effect
            }
            case "commit", "rollback", "abort" -> {
                if (isWord(statement, 1, "prepared")) {
                    findings.add(Finding.WRITE);
                }
            }
            case "begin", "start" -> transactionModes(statement, findings);
            case "set" -> PgSetStatement.classify(statement, findings);
            case "reset" -> PgSetStatement.classifyReset(statement, findings);
            case "discard" -> {
                if (isWord(statement, 1, "all")) {
                    findings.add(Finding.READ_ONLY_BYPASS);
                }
            }
            case "explain" -> explain(statement, findings, nesting);
            case "declare" -> declare(statement, findings, nesting);
            case "prepare" -> prepare(statement, findings, nesting);
            case "copy" -> copy(statement, findings);
            case "lock" -> lock(statement, findings);
            case "do" -> doBlock(statement, findings);
            case "create", "alter" -> createOrAlter(statement, findings);
            case "drop", "truncate", "comment", "grant", "revoke", "reindex", "cluster", "refresh", "security",
                    "import", "reassign" -> {
                findings.add(Finding.WRITE);
                findings.add(Finding.DDL);
            }
            case "insert", "update", "delete", "merge", "execute", "call", "vacuum", "analyze", "analyse",
                    "checkpoint", "load", "notify" -> {
                findings.add(Finding.WRITE);
                scanExpressions(statement, findings);
            }
            default -> findings.add(Finding.UNKNOWN);
        }
    }

    /**
     * Looks anywhere in the statement (any nesting) for data-modifying keywords (CTEs, subqueries), SELECT INTO,
     * row-locking clauses and calls of side-effect functions.
     */
    static void scanExpressions(List<PgToken> statement, EnumSet<Finding> findings) {
        int size = statement.size();
        for (int i = 0; i < size; i++) {
            PgToken token = statement.get(i);
            if (token.is(Kind.WORD)) {
                scanWord(statement, i, findings);
            }
            if (token.isName() && is(statement, i + 1, Kind.LPAREN)) {
                functionCall(statement, i, findings);
            }
        }
    }

    private static void scanWord(List<PgToken> statement, int i, EnumSet<Finding> findings) {
        switch (statement.get(i).text()) {
            case "insert", "update", "delete", "merge" -> {
                if (!is(statement, i - 1, Kind.DOT)) {
                    findings.add(Finding.WRITE);
                }
            }
            case "into" -> {
                if (!isWord(statement, i - 1, "insert") && !isWord(statement, i - 1, "merge")) {
                    findings.add(Finding.WRITE);
                    findings.add(Finding.DDL);
                }
            }
            case "for" -> {
                if (isWord(statement, i + 1, "share")
                        || (isWord(statement, i + 1, "key") && isWord(statement, i + 2, "share"))
                        || (isWord(statement, i + 1, "no") && isWord(statement, i + 2, "key"))) {
                    findings.add(Finding.WRITE);
                }
            }
            default -> {
                // an ordinary word
            }
        }
    }

    private static void functionCall(List<PgToken> statement, int name, EnumSet<Finding> findings) {
        String function = statement.get(name).text();
        if (function.equals("set_config")) {
            setConfig(statement, name + 2, findings);
        } else if (PgFunctions.hasSideEffect(function)) {
            findings.add(Finding.WRITE);
        }
    }

    /** {@code set_config('name', value, is_local)}: only a literal, harmless parameter name passes. */
    private static void setConfig(List<PgToken> statement, int firstArgument, EnumSet<Finding> findings) {
        String parameter = literalParameter(statement, firstArgument);
        if (parameter == null) {
            findings.add(Finding.READ_ONLY_BYPASS);
            findings.add(Finding.UNSAFE_ENCODING);
            return;
        }
        if (PgFunctions.isReadOnlyGuard(parameter)) {
            findings.add(Finding.READ_ONLY_BYPASS);
        } else if (PgFunctions.lowerAscii(parameter).equals("client_encoding")) {
            PgToken value = firstArgument + 2 < statement.size() ? statement.get(firstArgument + 2) : null;
            if (value == null || !value.isStringConstant() || PgFunctions.isUnsafeClientEncoding(value.text())) {
                findings.add(Finding.UNSAFE_ENCODING);
            }
        } else if (!PgFunctions.isSetConfigAllowed(parameter)) {
            findings.add(Finding.WRITE);
        }
    }

    /**
     * The parameter name of a {@code set_config} call: a string literal, or the {@code name} column in pg_dump's
     * {@code SELECT set_config(name, '...', false) FROM pg_settings WHERE name = 'x'}; null when unknown.
     */
    private static String literalParameter(List<PgToken> statement, int argument) {
        if (!is(statement, argument + 1, Kind.COMMA) || argument >= statement.size()) {
            return null;
        }
        PgToken first = statement.get(argument);
        if (first.isStringConstant()) {
            return first.text();
        }
        int size = statement.size();
        boolean settingsLookup = first.isWord("name")
                && size >= 6
                && isWord(statement, size - 6, "from")
                && isWord(statement, size - 5, "pg_settings")
                && isWord(statement, size - 4, "where")
                && isWord(statement, size - 3, "name")
                && is(statement, size - 2, Kind.OPERATOR)
                && statement.get(size - 2).text().equals("=")
                && is(statement, size - 1, Kind.STRING);
        return settingsLookup && indexOfTopLevelWord(statement, 0, "from") == size - 6
                ? statement.get(size - 1).text()
                : null;
    }

    private static void transactionModes(List<PgToken> statement, EnumSet<Finding> findings) {
        if (containsPair(statement, "read", "write")) {
            findings.add(Finding.READ_ONLY_BYPASS);
        }
    }

    /** EXPLAIN runs its statement only with ANALYZE; then the inner statement is classified. */
    private static void explain(List<PgToken> statement, EnumSet<Finding> findings, int nesting) {
        int i = 1;
        boolean analyze = false;
        if (is(statement, i, Kind.LPAREN)) {
            int end = PgTokens.skipParens(statement, i);
            analyze = optionsEnableAnalyze(statement.subList(i + 1, Math.max(i + 1, end - 1)));
            i = end;
        } else {
            while (isWord(statement, i, "analyze")
                    || isWord(statement, i, "analyse")
                    || isWord(statement, i, "verbose")) {
                analyze |= !statement.get(i).text().equals("verbose");
                i++;
            }
        }
        List<PgToken> inner = statement.subList(Math.min(i, statement.size()), statement.size());
        if (analyze) {
            classify(inner, findings, nesting + 1);
        } else if (inner.isEmpty() || !(inner.get(0).is(Kind.LPAREN) || isExplainable(inner.get(0)))) {
            findings.add(Finding.UNKNOWN);
        }
    }

    private static boolean isExplainable(PgToken first) {
        return first.is(Kind.WORD) && EXPLAINABLE.contains(first.text());
    }

    private static boolean optionsEnableAnalyze(List<PgToken> options) {
        int start = 0;
        for (int i = 0; i <= options.size(); i++) {
            if (i == options.size() || options.get(i).is(Kind.COMMA)) {
                List<PgToken> option = options.subList(start, i);
                if (!option.isEmpty() && (option.get(0).isWord("analyze") || option.get(0).isWord("analyse"))) {
                    if (option.size() == 1 || !FALSE_WORDS.contains(PgFunctions.lowerAscii(option.get(1).text()))) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static void declare(List<PgToken> statement, EnumSet<Finding> findings, int nesting) {
        int cursor = indexOfTopLevelWord(statement, 1, "cursor");
        int query = cursor < 0 ? -1 : indexOfTopLevelWord(statement, cursor + 1, "for");
        if (query < 0) {
            findings.add(Finding.UNKNOWN);
            return;
        }
        classify(statement.subList(query + 1, statement.size()), findings, nesting + 1);
    }

    private static void prepare(List<PgToken> statement, EnumSet<Finding> findings, int nesting) {
        if (isWord(statement, 1, "transaction") && is(statement, 2, Kind.STRING)) {
            findings.add(Finding.WRITE);
            return;
        }
        int as = indexOfTopLevelWord(statement, 1, "as");
        if (as < 0) {
            findings.add(Finding.UNKNOWN);
            return;
        }
        classify(statement.subList(as + 1, statement.size()), findings, nesting + 1);
    }

    private static void copy(List<PgToken> statement, EnumSet<Finding> findings) {
        findings.add(Finding.COPY);
        Optional<PgCopyStatement> copy = PgCopyStatement.parse(statement);
        if (copy.isEmpty()) {
            findings.add(Finding.UNKNOWN);
            return;
        }
        if (copy.get().direction().equals("in") || !copy.get().client()) {
            findings.add(Finding.WRITE);
        }
        scanExpressions(statement, findings);
    }

    /** LOCK is harmless only in ACCESS SHARE mode; the default mode is ACCESS EXCLUSIVE. */
    private static void lock(List<PgToken> statement, EnumSet<Finding> findings) {
        int in = indexOfTopLevelWord(statement, 1, "in");
        boolean accessShare = isWord(statement, in + 1, "access")
                && isWord(statement, in + 2, "share")
                && isWord(statement, in + 3, "mode");
        if (in < 0 || !accessShare) {
            findings.add(Finding.WRITE);
        }
    }

    /** A DO block runs arbitrary code, including DDL through EXECUTE. */
    private static void doBlock(List<PgToken> statement, EnumSet<Finding> findings) {
        findings.add(Finding.WRITE);
        findings.add(Finding.DDL);
        if (PgRoutineBodies.mayChangePassword(statement)) {
            findings.add(Finding.PASSWORD);
        }
    }

    private static void createOrAlter(List<PgToken> statement, EnumSet<Finding> findings) {
        findings.add(Finding.WRITE);
        findings.add(Finding.DDL);
        boolean role = isWord(statement, 1, "user") || isWord(statement, 1, "role") || isWord(statement, 1, "group");
        if (role && !isWord(statement, 2, "mapping") && containsWord(statement, "password")) {
            findings.add(Finding.PASSWORD);
        } else if (statement.get(0).isWord("create") && isRoutine(statement)
                && PgRoutineBodies.mayChangePassword(statement)) {
            findings.add(Finding.PASSWORD);
        }
    }

    private static boolean isRoutine(List<PgToken> statement) {
        int i = isWord(statement, 1, "or") && isWord(statement, 2, "replace") ? 3 : 1;
        return isWord(statement, i, "function") || isWord(statement, i, "procedure");
    }
}
