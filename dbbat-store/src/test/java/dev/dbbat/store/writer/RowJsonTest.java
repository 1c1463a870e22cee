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
}
