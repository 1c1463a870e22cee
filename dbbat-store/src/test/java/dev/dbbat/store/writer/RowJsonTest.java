package dev.dbbat.store.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.ResultRow;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowJsonTest {
    private static String encode(List<String> names, Object... values) {
        return RowJson.encode(new ResultRow(1, names, Arrays.asList(values), 10));
    }

    @Test
    void encodesAnObjectByColumnName() {
        assertThat(encode(List.of("id", "name", "ok"), 1L, "ann", true))
                .isEqualTo("{\"id\":1,\"name\":\"ann\",\"ok\":true}");
    }

    @Test
    void encodesAnArrayWithoutColumnNames() {
        assertThat(encode(List.of(), 1L, null, "x")).isEqualTo("[1,null,\"x\"]");
    }

    @Test
    void keepsTheLastValueOfADuplicateName() {
        assertThat(encode(List.of("a", "a"), 1L, 2L)).isEqualTo("{\"a\":2}");
    }

    @Test
    void namesMissingColumnsByIndex() {
        assertThat(encode(List.of("a", ""), 1L, 2L, 3L)).isEqualTo("{\"a\":1,\"col_1\":2,\"col_2\":3}");
    }

    @Test
    void keepsDecimalsExact() {
        assertThat(encode(List.of(), new BigDecimal("12345678901234567890.120"), 1.5d))
                .isEqualTo("[12345678901234567890.120,1.5]");
    }

    @Test
    void writesNonFiniteDoublesAsStrings() {
        assertThat(encode(List.of(), Double.NaN, Double.POSITIVE_INFINITY)).isEqualTo("[\"NaN\",\"Infinity\"]");
    }

    @Test
    void encodesBytesAsBase64() {
        assertThat(encode(List.of("b"), (Object) "hi".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"b\":{\"$bytes\":\"aGk=\"}}");
    }

    @Test
    void embedsValidJsonAndQuotesInvalidJson() {
        assertThat(encode(List.of("j", "k"), new ResultRow.JsonText("{\"x\": [1, 2]}"),
                        new ResultRow.JsonText("{nope")))
                .isEqualTo("{\"j\":{\"x\":[1,2]},\"k\":\"{nope\"}");
    }

    @Test
    void replacesNulCharacters() {
        assertThat(encode(List.of(), "a\u0000b")).isEqualTo("[\"a\uFFFDb\"]");
    }

    @Test
    void keepsTheLastValueOfADuplicateNameAtItsFirstPosition() {
        assertThat(encode(List.of("a", "b", "a"), 1L, 2L, 3L)).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(encode(List.of("k\"ey"), "a\"b\\c\n\r\t\b\f\u0001\u001fé✓"))
                .isEqualTo("{\"k\\\"ey\":\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001Fé✓\"}");
    }

    @Test
    void encodesOtherNumbersAndObjects() {
        assertThat(encode(List.of(), 7, (short) 3, new java.math.BigInteger("123456789012345678901234567890"), 1.5f,
                Float.NaN, java.util.UUID.fromString("00000000-0000-0000-0000-000000000001")))
                .isEqualTo("[7,3,123456789012345678901234567890,1.5,\"NaN\",\"00000000-0000-0000-0000-000000000001\"]");
    }

    @Test
    void anEncoderReusesItsKeysOnlyForTheSameNames() {
        RowJson encoder = new RowJson();
        List<String> names = List.of("a", "b");
        StringBuilder out = new StringBuilder();
        encoder.append(out, new ResultRow(1, names, Arrays.asList(1L, 2L), 2));
        encoder.append(out.append('|'), new ResultRow(2, names, Arrays.asList(3L, null), 1));
        encoder.append(out.append('|'), new ResultRow(1, List.of("c"), Arrays.asList("x"), 1));
        encoder.append(out.append('|'), new ResultRow(1, names, Arrays.asList(5L, 6L, 7L), 3));
        assertThat(out.toString()).isEqualTo("{\"a\":1,\"b\":2}|{\"a\":3,\"b\":null}|{\"c\":\"x\"}"
                + "|{\"a\":5,\"b\":6,\"col_2\":7}");
    }
}
