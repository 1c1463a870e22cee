package dev.dbbat.protocol.pg.sql;

import static dev.dbbat.protocol.pg.sql.PgTokens.containsPair;
import static dev.dbbat.protocol.pg.sql.PgTokens.is;
import static dev.dbbat.protocol.pg.sql.PgTokens.isWord;

import dev.dbbat.protocol.pg.sql.PgStatementClassifier.Finding;
import dev.dbbat.protocol.pg.sql.PgToken.Kind;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code SET} and {@code RESET}: which of them leave read-only mode, change the session's identity, or switch to a
 * client encoding the proxy cannot follow. Stateless.
 */
final class PgSetStatement {

    private PgSetStatement() {}

    /**
     * {@code SET [SESSION | LOCAL] name {TO | =} value}, plus the special forms {@code SET ROLE}, {@code SET SESSION
     * AUTHORIZATION}, {@code SET TRANSACTION ...}, {@code SET SESSION CHARACTERISTICS AS TRANSACTION ...} and
     * {@code SET NAMES}.
     */
    static void classify(List<PgToken> statement, EnumSet<Finding> findings) {
        if (containsPair(statement, "read", "write")) {
            findings.add(Finding.READ_ONLY_BYPASS);
        }
        int i = 1;
        if (isWord(statement, i, "session") || isWord(statement, i, "local")) {
            if (isWord(statement, i + 1, "authorization")) {
                findings.add(Finding.READ_ONLY_BYPASS);
                return;
            }
            i++;
        }
        if (isWord(statement, i, "role")
                || (isWord(statement, i, "session") && isWord(statement, i + 1, "authorization"))) {
            findings.add(Finding.READ_ONLY_BYPASS);
            return;
        }
        if (isWord(statement, i, "names")) {
            checkEncoding(statement, i + 1, findings);
            return;
        }
        int afterName = skipName(statement, i);
        String name = name(statement, i, afterName);
        if (PgFunctions.isReadOnlyGuard(name)) {
            findings.add(Finding.READ_ONLY_BYPASS);
        } else if (PgFunctions.lowerAscii(name).equals("client_encoding")) {
            boolean assignment = isWord(statement, afterName, "to") || isOperator(statement, afterName, "=");
            checkEncoding(statement, assignment ? afterName + 1 : afterName, findings);
        }
    }

    /** {@code RESET name}, {@code RESET ALL}, {@code RESET ROLE}, {@code RESET SESSION AUTHORIZATION}. */
    static void classifyReset(List<PgToken> statement, EnumSet<Finding> findings) {
        if (isWord(statement, 1, "all") || (isWord(statement, 1, "session") && isWord(statement, 2, "authorization"))) {
            findings.add(Finding.READ_ONLY_BYPASS);
            return;
        }
        String name = name(statement, 1, skipName(statement, 1));
        if (PgFunctions.isReadOnlyGuard(name)) {
            findings.add(Finding.READ_ONLY_BYPASS);
        }
    }

    private static void checkEncoding(List<PgToken> statement, int valueIndex, EnumSet<Finding> findings) {
        if (valueIndex >= statement.size()) {
            return;
        }
        PgToken value = statement.get(valueIndex);
        if (value.isWord("default")) {
            return;
        }
        if (!(value.isName() || value.isStringConstant()) || PgFunctions.isUnsafeClientEncoding(value.text())) {
            findings.add(Finding.UNSAFE_ENCODING);
        }
    }

    /** A parameter name is {@code ColId ('.' ColId)*}; returns the index after it. */
    private static int skipName(List<PgToken> statement, int from) {
        int i = from;
        if (i >= statement.size() || !statement.get(i).isName()) {
            return i;
        }
        i++;
        while (is(statement, i, Kind.DOT) && i + 1 < statement.size() && statement.get(i + 1).isName()) {
            i += 2;
        }
        return i;
    }

    private static String name(List<PgToken> statement, int from, int to) {
        if (from >= to) {
            return "";
        }
        StringBuilder name = new StringBuilder(statement.get(from).text());
        for (int i = from + 2; i < to; i += 2) {
            name.append('.').append(statement.get(i).text());
        }
        return name.toString();
    }

    private static boolean isOperator(List<PgToken> statement, int i, String operator) {
        return is(statement, i, Kind.OPERATOR) && statement.get(i).text().equals(operator);
    }
}
