package dev.dbbat.protocol.pg.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.protocol.pg.sql.PgToken.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgLexerTest {

    @Test
    void dropsNestedBlockComments() {
        assertThat(texts("SELECT /* a /* b */ c */ 1")).containsExactly("select", "1");
    }

    @Test
    void dropsLineCommentsUpToTheNewline() {
        assertThat(texts("-- DELETE FROM t\nSELECT 1 -- ; DROP\r\n, 2")).containsExactly("select", "1", ",", "2");
    }

    @Test
    void endsAnOperatorWhereACommentStarts() {
        assertThat(texts("SELECT 1 +-- comment\n2")).containsExactly("select", "1", "+", "2");
    }

    @Test
    void lexesDollarQuotesWithTags() {
        List<PgToken> tokens = lex("SELECT $fn$ it's $$ not the end; $fn$, $$x$$");

        assertThat(tokens).extracting(PgToken::kind)
                .containsExactly(Kind.WORD, Kind.DOLLAR_STRING, Kind.COMMA, Kind.DOLLAR_STRING);
        assertThat(tokens.get(1).text()).isEqualTo(" it's $$ not the end; ");
        assertThat(tokens.get(3).text()).isEqualTo("x");
    }

    @Test
    void keepsDollarInsideIdentifiersAndLexesParameters() {
        List<PgToken> tokens = lex("SELECT a$$b, $1, $23");

        assertThat(tokens).extracting(PgToken::kind)
                .containsExactly(Kind.WORD, Kind.WORD, Kind.COMMA, Kind.PARAM, Kind.COMMA, Kind.PARAM);
        assertThat(tokens.get(1).text()).isEqualTo("a$$b");
    }

    @Test
    void decodesBackslashEscapesInEscapeStrings() {
        List<PgToken> tokens = lex("SELECT E'it\\'s\\n\\x41\\101\\u0042', e'\\\\'");

        assertThat(tokens.get(1)).isEqualTo(new PgToken(Kind.STRING, "it's\nAAB", 7));
        assertThat(tokens.get(3).text()).isEqualTo("\\");
    }

    @Test
    void doublesQuotesInStandardConformingStrings() {
        List<PgToken> tokens = lex("SELECT 'it''s', 'C:\\'");

        assertThat(tokens).extracting(PgToken::text).containsExactly("select", "it's", ",", "C:\\");
    }

    @Test
    void reportsBackslashInPlainStrings() {
        assertThat(PgLexer.lex("SELECT 'a\\'").backslashInPlainString()).isTrue();
        assertThat(PgLexer.lex("SELECT E'a\\\\'").backslashInPlainString()).isFalse();
    }

    @Test
    void treatsBackslashAsEscapeWhenStandardConformingStringsIsOff() {
        PgLexer.Result result = PgLexer.lex("SELECT 'a\\' ; DELETE'", false);

        assertThat(result.failed()).isFalse();
        assertThat(result.tokens()).extracting(PgToken::text).containsExactly("select", "a' ; DELETE");
    }

    @Test
    void joinsStringsContinuedAcrossANewline() {
        List<PgToken> tokens = lex("SELECT 'a' -- c\n  'b', 'c' 'd'");

        assertThat(tokens).extracting(PgToken::text).containsExactly("select", "ab", ",", "c", "d");
    }

    @Test
    void decodesUnicodeIdentifiersAndStrings() {
        List<PgToken> tokens = lex("SELECT U&\"d\\0061t\\+000061\", u&'\\0041!' , U&'x!0042' UESCAPE '!'");

        assertThat(tokens).extracting(PgToken::kind)
                .containsExactly(Kind.WORD, Kind.QUOTED_IDENT, Kind.COMMA, Kind.STRING, Kind.COMMA, Kind.STRING);
        assertThat(tokens).extracting(PgToken::text).containsExactly("select", "data", ",", "A!", ",", "xB");
    }

    @Test
    void keepsQuotedIdentifiersCaseAndDoubledQuotes() {
        assertThat(texts("SELECT \"Mixed\"\"Case\", MixedCase"))
                .containsExactly("select", "Mixed\"Case", ",", "mixedcase");
    }

    @Test
    void lexesBitStringsWithoutQuoteDoubling() {
        List<PgToken> tokens = lex("SELECT B'0101', x'1F'");

        assertThat(tokens).extracting(PgToken::kind)
                .containsExactly(Kind.WORD, Kind.BIT_STRING, Kind.COMMA, Kind.BIT_STRING);
    }

    @Test
    void lexesNumbersWithoutSwallowingFollowingKeywords() {
        assertThat(texts("SELECT 1.5e-3, .5, 1FOR UPDATE"))
                .containsExactly("select", "1.5e-3", ",", ".5", ",", "1", "for", "update");
    }

    @Test
    void foldsOnlyAsciiLettersToLowerCase() {
        assertThat(texts("SELECT \u212Aelvin, \u00c9T\u00c9"))
                .containsExactly("select", "\u212Aelvin", ",", "\u00c9t\u00c9");
    }

    @Test
    void lexesOperatorsCastsAndPunctuation() {
        assertThat(texts("SELECT a::int[], b->>'k' FROM s.t;")).containsExactly(
                "select", "a", "::", "int", "[", "]", ",", "b", "->>", "k", "from", "s", ".", "t", ";");
    }

    @Test
    void failsOnUnterminatedQuote() {
        PgLexer.Result result = PgLexer.lex("SELECT 1; SELECT 'abc");

        assertThat(result.failed()).isTrue();
        assertThat(result.error()).contains("unterminated quoted string");
        assertThat(result.tokens()).extracting(PgToken::text).containsExactly("select", "1", ";", "select");
    }

    @Test
    void failsOnUnterminatedNestedComment() {
        assertThat(PgLexer.lex("SELECT /* /* */ 1").error()).contains("unterminated /* comment");
    }

    @Test
    void failsOnUnterminatedDollarQuote() {
        assertThat(PgLexer.lex("DO $body$ BEGIN END $bod$").error()).contains("unterminated dollar-quoted string");
    }

    @Test
    void failsOnUnterminatedQuotedIdentifierAndEscapeString() {
        assertThat(PgLexer.lex("SELECT \"abc").error()).contains("unterminated quoted identifier");
        assertThat(PgLexer.lex("SELECT E'abc\\'").error()).contains("unterminated quoted string");
    }

    @Test
    void failsOnInvalidUnicodeEscapes() {
        assertThat(PgLexer.lex("SELECT U&'\\00zz'").failed()).isTrue();
        assertThat(PgLexer.lex("SELECT U&'\\D800'").failed()).isTrue();
        assertThat(PgLexer.lex("SELECT U&'a' UESCAPE '+'").failed()).isTrue();
    }

    @Test
    void refusesUnicodeStringsWhenStandardConformingStringsIsOff() {
        assertThat(PgLexer.lex("SELECT U&'a'", false).failed()).isTrue();
    }

    @Test
    void lexesEmptyInput() {
        assertThat(PgLexer.lex("").tokens()).isEmpty();
        assertThat(PgLexer.lex("  /* c */ -- d").tokens()).isEmpty();
    }

    private static List<PgToken> lex(String sql) {
        PgLexer.Result result = PgLexer.lex(sql);
        assertThat(result.error()).isNull();
        return result.tokens();
    }

    private static List<String> texts(String sql) {
        return lex(sql).stream().map(PgToken::text).toList();
    }
}
