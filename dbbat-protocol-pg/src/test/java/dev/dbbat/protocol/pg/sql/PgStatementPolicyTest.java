package dev.dbbat.protocol.pg.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.dbbat.core.event.Control;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgStatementPolicyTest {

    private static final Set<Control> FULL_ACCESS = Set.of();
    private static final Set<Control> READ_ONLY = EnumSet.of(Control.READ_ONLY);
    private static final Set<Control> BLOCK_DDL = EnumSet.of(Control.BLOCK_DDL);
    private static final Set<Control> BLOCK_COPY = EnumSet.of(Control.BLOCK_COPY);
    private static final Set<Control> ALL = EnumSet.allOf(Control.class);

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE TABLE x (id int)",
        "create index on t (a)",
        "/* c */ ALTER TABLE t ADD COLUMN c int",
        "DROP TABLE t",
        "TRUNCATE t",
        "COMMENT ON TABLE t IS 'x'",
        "GRANT SELECT ON t TO public",
        "REVOKE ALL ON t FROM public",
        "REINDEX TABLE t",
        "CLUSTER t",
        "REFRESH MATERIALIZED VIEW mv",
        "SECURITY LABEL ON TABLE t IS 'x'",
        "IMPORT FOREIGN SCHEMA r FROM SERVER s INTO public",
        "SELECT * INTO new_t FROM t",
        "SELECT 1; DROP TABLE t",
        "SELECT 1; SELECT 2;\n-- x\nCREATE TABLE y ()",
        "PREPARE p AS SELECT * INTO x FROM t",
        "EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1",
        "EXPLAIN (ANALYZE) SELECT * INTO x FROM t",
        "DO $$BEGIN EXECUTE 'DROP TABLE t'; END$$",
        "SELECT '\\', ' ; DROP TABLE t; -- '"
    })
    void refusesDdlUnderBlockDdl(String sql) {
        assertThat(PgStatementPolicy.check(sql, BLOCK_DDL))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.DDL_BLOCKED));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1",
        "INSERT INTO t VALUES (1)",
        "UPDATE t SET a = 1",
        "DELETE FROM t",
        "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
        "INSERT INTO t SELECT * FROM u",
        "MERGE INTO t USING u ON t.id = u.id WHEN NOT MATCHED THEN INSERT VALUES (u.id)",
        "COPY t FROM STDIN",
        "SELECT 'DROP TABLE t'",
        "SELECT $$CREATE TABLE x()$$",
        "EXPLAIN CREATE TABLE x AS SELECT 1",
        "SET ROLE x",
        "BEGIN READ WRITE"
    })
    void allowsNonDdlUnderBlockDdl(String sql) {
        assertThat(PgStatementPolicy.check(sql, BLOCK_DDL)).isEqualTo(SqlVerdict.allow());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "COPY t TO STDOUT",
        "COPY t FROM STDIN",
        "copy t(a) from stdin with csv",
        "COPY (SELECT 1) TO STDOUT",
        "/* x */ COPY t TO STDOUT",
        "SELECT 1; COPY t TO STDOUT",
        "COPY t TO '/tmp/x'",
        "COPY BINARY t TO STDOUT"
    })
    void refusesCopyUnderBlockCopy(String sql) {
        assertThat(PgStatementPolicy.check(sql, BLOCK_COPY))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.COPY_BLOCKED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 'COPY t TO STDOUT'", "SELECT copy FROM t", "DROP TABLE t", "DELETE FROM t"})
    void allowsNonCopyUnderBlockCopy(String sql) {
        assertThat(PgStatementPolicy.check(sql, BLOCK_COPY)).isEqualTo(SqlVerdict.allow());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ALTER USER alice PASSWORD 'x'",
        "ALTER ROLE alice WITH LOGIN ENCRYPTED PASSWORD 'md5abc'",
        "ALTER USER \"alice\" PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$Q2xpZW50:U2VydmVy'",
        "alter user alice valid until 'infinity' password 'x'",
        "CREATE USER bob WITH PASSWORD 'x'",
        "CREATE ROLE bob PASSWORD 'x' LOGIN",
        "CREATE GROUP g PASSWORD 'x'",
        "-- c\nALTER USER alice PASSWORD 'x'",
        "SELECT 1; ALTER USER alice PASSWORD 'x'",
        "DO $$BEGIN EXECUTE 'ALTER ROLE alice PASSWORD ' || quote_literal('x'); END$$",
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$BEGIN ALTER USER alice PASSWORD 'x'; END$$",
        "AlTeR uSeR alice PaSsWoRd 'x'",
        // the word spelt through escapes, inside a body that runs it
        "DO $$BEGIN EXECUTE E'ALTER ROLE alice PASS\\x57ORD ''x'''; END$$",
        "DO $$BEGIN EXECUTE U&'ALTER ROLE alice PASS\\0057ORD ''x'''; END$$",
        "DO $$BEGIN EXECUTE U&'ALTER ROLE alice PASS!0057ORD ''x''' UESCAPE '!'; END$$"
    })
    void refusesPasswordChangeUnderEveryGrant(String sql) {
        SqlVerdict refused = SqlVerdict.refuse(PgStatementPolicy.PASSWORD_CHANGE);

        assertThat(PgStatementPolicy.check(sql, FULL_ACCESS)).isEqualTo(refused);
        assertThat(PgStatementPolicy.check(sql, READ_ONLY)).isEqualTo(refused);
        assertThat(PgStatementPolicy.check(sql, BLOCK_DDL)).isEqualTo(refused);
        assertThat(PgStatementPolicy.check(sql, ALL)).isEqualTo(refused);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "DELETE FROM t",
        "DROP TABLE t",
        "COPY t FROM STDIN",
        "BEGIN READ WRITE",
        "SET ROLE postgres",
        "SELECT nextval('s')",
        "DO $$BEGIN NULL; END$$",
        "ALTER USER alice VALID UNTIL 'infinity'",
        "ALTER USER alice SET password_encryption = 'scram-sha-256'",
        "CREATE USER MAPPING FOR alice SERVER s OPTIONS (user 'a', password 'b')",
        "SELECT password FROM users",
        "FROBNICATE",
        "SELECT 'unterminated"
    })
    void allowsEverythingButPasswordChangesWithoutControls(String sql) {
        assertThat(PgStatementPolicy.check(sql, FULL_ACCESS)).isEqualTo(SqlVerdict.allow());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;",
        "UPDATE t SET pass = 'word', u = 1 & 2",
        "SELECT 'p' || 'assword'",
        ""
    })
    void seesWithoutLexingThatSqlCannotSpellAPasswordChange(String sql) {
        assertThat(PgStatementPolicy.mayChangePassword(sql)).isFalse();
        assertThat(PgStatementPolicy.check(sql, FULL_ACCESS)).isEqualTo(SqlVerdict.allow());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT password FROM users",
        "select PASSWORD",
        "SELECT E'\\x41'",
        "SELECT 'a\\'",
        "SELECT U&'\\0041'",
        "SELECT u&\"p\"",
        "ALTER USER alice PASSWORD 'x'"
    })
    void lexesSqlThatMaySpellAPasswordChange(String sql) {
        assertThat(PgStatementPolicy.mayChangePassword(sql)).isTrue();
    }

    @Test
    void refusesTheFirstOffendingStatementOfABatch() {
        SqlVerdict verdict = PgStatementPolicy.check("SELECT 1; DELETE FROM t; SET ROLE x", READ_ONLY);

        assertThat(verdict).isEqualTo(SqlVerdict.refuse(PgStatementPolicy.READ_ONLY_WRITE));
    }

    @Test
    void checksPasswordBeforeBypassBeforeWriteWithinAStatement() {
        assertThat(PgStatementPolicy.check("ALTER USER a PASSWORD 'x'", ALL).message())
                .isEqualTo(PgStatementPolicy.PASSWORD_CHANGE);
        assertThat(PgStatementPolicy.check("INSERT INTO t SELECT set_config('role', 'x', false)", READ_ONLY).message())
                .isEqualTo(PgStatementPolicy.READ_ONLY_BYPASS);
        assertThat(PgStatementPolicy.check("DROP TABLE t", ALL).message())
                .isEqualTo(PgStatementPolicy.READ_ONLY_WRITE);
        assertThat(PgStatementPolicy.check("COPY t TO STDOUT", ALL).message())
                .isEqualTo(PgStatementPolicy.COPY_BLOCKED);
    }

    @Test
    void refusesBeginReadWrite() {
        assertThat(PgStatementPolicy.check("BEGIN READ WRITE", READ_ONLY))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.READ_ONLY_BYPASS));
    }

    @Test
    void refusesUnparsableSqlOnlyUnderReadOnly() {
        String sql = "SELECT 'never closed";

        assertThat(PgStatementPolicy.check(sql, READ_ONLY))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.UNPARSABLE));
        assertThat(PgStatementPolicy.check(sql, BLOCK_DDL)).isEqualTo(SqlVerdict.allow());
    }

    @Test
    void checksStatementsBeforeALexErrorUnderBlockDdl() {
        assertThat(PgStatementPolicy.check("DROP TABLE t; SELECT 'never closed", BLOCK_DDL))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.DDL_BLOCKED));
    }

    @Test
    void checksPlainStringsWithBackslashesAsIfStandardConformingStringsWereOff() {
        String sql = "SELECT '\\', ' ; DELETE FROM t; -- '";

        assertThat(PgStatementPolicy.check(sql, READ_ONLY))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.READ_ONLY_WRITE));
        assertThat(PgStatementPolicy.check("SELECT 'C:\\temp\\'", READ_ONLY)).isEqualTo(SqlVerdict.allow());
    }

    @Test
    void refusesSwitchingToAnEncodingWithBackslashTrailBytesUnderAnyControl() {
        assertThat(PgStatementPolicy.check("SET client_encoding TO 'Shift_JIS'", BLOCK_DDL))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.DDL_BLOCKED));
        assertThat(PgStatementPolicy.check("SELECT set_config('client_encoding', 'GBK', false)", BLOCK_COPY))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.COPY_BLOCKED));
        assertThat(PgStatementPolicy.check("SET NAMES 'BIG5'", READ_ONLY))
                .isEqualTo(SqlVerdict.refuse(PgStatementPolicy.READ_ONLY_BYPASS));
        assertThat(PgStatementPolicy.check("SET client_encoding = 'LATIN1'", ALL)).isEqualTo(SqlVerdict.allow());
        assertThat(PgStatementPolicy.check("SET client_encoding = 'SJIS'", FULL_ACCESS)).isEqualTo(SqlVerdict.allow());
    }

    @Test
    void allowsEmptyQueryStrings() {
        assertThat(PgStatementPolicy.check("", ALL)).isEqualTo(SqlVerdict.allow());
        assertThat(PgStatementPolicy.check(" ;; -- nothing", ALL)).isEqualTo(SqlVerdict.allow());
    }

    @Test
    void rejectsNullArguments() {
        assertThatNullPointerException().isThrownBy(() -> PgStatementPolicy.check(null, READ_ONLY));
        assertThatNullPointerException().isThrownBy(() -> PgStatementPolicy.check("SELECT 1", null));
    }

    @Test
    void verdictsCarryAnEmptyMessageWhenAllowed() {
        assertThat(SqlVerdict.allow().message()).isEmpty();
        assertThat(SqlVerdict.allow().allowed()).isTrue();
        assertThat(SqlVerdict.refuse("no").allowed()).isFalse();
    }
}
