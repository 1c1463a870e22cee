package dev.dbbat.protocol.pg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.CopyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PgCopyMetadataTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "COPY t FROM STDIN|in|text",
        "copy t to stdout|out|text",
        "COPY t FROM '/tmp/t.csv' WITH (FORMAT csv, HEADER)|in|csv",
        "COPY t TO STDOUT (FORMAT 'binary')|out|binary",
        "COPY t TO STDOUT WITH (HEADER true, FORMAT CSV)|out|csv",
        "COPY t FROM STDIN WITH CSV HEADER|in|csv",
        "COPY t TO STDOUT CSV|out|csv",
        "COPY t TO STDOUT WITH BINARY|out|binary",
        "COPY BINARY t TO STDOUT|out|binary",
        "COPY (SELECT * FROM t) TO STDOUT WITH (FORMAT csv)|out|csv",
        "COPY (SELECT 'FROM STDIN') TO STDOUT|out|text",
        "COPY s.t (a, b) FROM PROGRAM 'cat' DELIMITER ','|in|text",
        "/* c */ COPY t (a) FROM STDIN WHERE a > 1|in|text",
        "COPY t TO STDOUT WITH DELIMITER 'csv'|out|text",
        "SELECT 1; COPY t FROM STDIN (FORMAT binary)|in|binary"
    })
    void readsDirectionAndFormat(String sql, String direction, String format) {
        assertThat(PgStatementPolicy.copyInfo(sql)).contains(new CopyInfo(direction, format));
    }

    @Test
    void hasNoCopyInfoWithoutACopyStatement() {
        assertThat(PgStatementPolicy.copyInfo("SELECT 'COPY t FROM STDIN'")).isEmpty();
        assertThat(PgStatementPolicy.copyInfo("")).isEmpty();
    }

    @Test
    void usesTheFirstCopyStatement() {
        assertThat(PgStatementPolicy.copyInfo("COPY a TO STDOUT; COPY b FROM STDIN CSV"))
                .contains(new CopyInfo("out", "text"));
    }

    @Test
    void readsTheColumnList() {
        assertThat(PgStatementPolicy.copyColumns("COPY t (a, \"B\", Cc) FROM STDIN")).containsExactly("a", "B", "cc");
        assertThat(PgStatementPolicy.copyColumns("COPY public.t(\"x y\") TO STDOUT")).containsExactly("x y");
    }

    @Test
    void hasNoColumnsWithoutAList() {
        assertThat(PgStatementPolicy.copyColumns("COPY t FROM STDIN")).isEmpty();
        assertThat(PgStatementPolicy.copyColumns("COPY (SELECT a, b FROM t) TO STDOUT")).isEmpty();
        assertThat(PgStatementPolicy.copyColumns("SELECT 1")).isEmpty();
    }
}
