package dev.dbbat.protocol.pg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.Control;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReadOnlyCorpusTest {

    private static final Set<Control> READ_ONLY = EnumSet.of(Control.READ_ONLY);

    static Stream<SqlCorpus.Case> corpus() {
        return SqlCorpus.readOnlyCases().stream();
    }

    static Stream<String> clientCatalogQueries() {
        return Stream.concat(
                SqlCorpus.statements("psql-catalog-queries.sql").stream(),
                SqlCorpus.statements("pgjdbc-metadata-queries.sql").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void classifiesCorpusStatementUnderReadOnly(SqlCorpus.Case corpusCase) {
        SqlVerdict verdict = PgStatementPolicy.check(corpusCase.sql(), READ_ONLY);

        switch (corpusCase.expectation()) {
            case "ALLOW" -> assertThat(verdict).isEqualTo(SqlVerdict.allow());
            case "REFUSE" -> assertThat(verdict.allowed()).isFalse();
            default -> assertThat(verdict).isEqualTo(SqlVerdict.refuse(message(corpusCase.expectation())));
        }
    }

    @Test
    void corpusCoversAtLeast120Cases() {
        List<SqlCorpus.Case> cases = SqlCorpus.readOnlyCases();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(120);
        assertThat(cases).extracting(SqlCorpus.Case::expectation)
                .contains("ALLOW", "WRITE", "BYPASS", "UNPARSABLE", "PASSWORD");
    }

    @ParameterizedTest
    @MethodSource("clientCatalogQueries")
    void allowsPsqlAndPgjdbcCatalogQueriesUnderReadOnly(String sql) {
        assertThat(PgStatementPolicy.check(sql, READ_ONLY)).isEqualTo(SqlVerdict.allow());
    }

    @Test
    void capturedCatalogQueriesAreLoaded() {
        assertThat(SqlCorpus.statements("psql-catalog-queries.sql")).hasSizeGreaterThan(30);
        assertThat(SqlCorpus.statements("pgjdbc-metadata-queries.sql")).hasSizeGreaterThan(20);
    }

    private static String message(String expectation) {
        return switch (expectation) {
            case "WRITE" -> PgStatementPolicy.READ_ONLY_WRITE;
            case "BYPASS" -> PgStatementPolicy.READ_ONLY_BYPASS;
            case "UNPARSABLE" -> PgStatementPolicy.UNPARSABLE;
            case "PASSWORD" -> PgStatementPolicy.PASSWORD_CHANGE;
            default -> throw new IllegalArgumentException("unknown expectation " + expectation);
        };
    }
}
