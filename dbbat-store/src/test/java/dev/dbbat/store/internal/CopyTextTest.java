package dev.dbbat.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CopyTextTest {

    private static String render(Consumer<CopyText> writes) {
        CopyText text = new CopyText(1); // tiny on purpose: every write must grow the buffer when needed
        writes.accept(text);
        return new String(text.array(), 0, text.size(), StandardCharsets.UTF_8);
    }

    @Test
    void escapesBackslashAndControlCharactersAndWritesNullAsBackslashN() {
        assertThat(render(out -> out.text("a\\b\tc\nd\re {\"k\":\"\\n\"}").text("|").text(null)))
                .isEqualTo("a\\\\b\\tc\\nd\\re {\"k\":\"\\\\n\"}|\\N");
    }

    @Test
    void encodesEveryCharacterAsUtf8LikeTheJdk() {
        String text = "é € 😀 \uD800 x \uDC00" + "z".repeat(300);
        assertThat(render(out -> out.text(text))).isEqualTo(new String(text.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
        CopyText copy = new CopyText(1);
        copy.text(text);
        assertThat(Arrays.copyOf(copy.array(), copy.size())).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesUuidsNumbersDecimalsAndBooleans() {
        UUID uid = UUID.randomUUID();
        assertThat(render(out -> out.uuid(uid).tab().number(0).tab().number(-42).tab().number(Long.MAX_VALUE).tab()
                .number(Long.MIN_VALUE).tab().bool(true).bool(false).endRow()))
                .isEqualTo(uid + "\t0\t-42\t" + Long.MAX_VALUE + "\t" + Long.MIN_VALUE + "\ttf\n");
        for (String each : List.of("0.000", "12.345", "-0.500", "999999999.999", "7", "1.5E+3", "123456789012.123",
                "0.0000000001")) {
            BigDecimal value = new BigDecimal(each);
            assertThat(render(out -> out.decimal(value))).as(each).isEqualTo(value.toPlainString());
        }
        assertThat(render(out -> out.decimal(null))).isEqualTo("\\N");
    }

    @Test
    void roundsTimestampsToMicroseconds() {
        assertThat(render(out -> out.timestamp(Instant.parse("2026-11-25T08:00:00.123456500Z"))))
                .isEqualTo("2026-11-25T08:00:00.123457Z");
        assertThat(render(out -> out.timestamp(Instant.parse("2026-11-25T08:00:00.123456499Z"))))
                .isEqualTo("2026-11-25T08:00:00.123456Z");
        assertThat(render(out -> out.timestamp(Instant.parse("2026-11-25T08:00:00Z"))))
                .isEqualTo("2026-11-25T08:00:00Z");
        assertThat(render(out -> out.timestamp(Instant.parse("2026-12-31T23:59:59.999999600Z"))))
                .isEqualTo("2027-01-01T00:00:00Z");
        assertThat(render(out -> out.timestamp(Instant.parse("1969-12-31T23:59:59.000001Z"))))
                .isEqualTo("1969-12-31T23:59:59.000001Z");
    }

    @Test
    void formatsTheDateOncePerSecondButEveryValueCorrectly() {
        CopyText text = new CopyText(16);
        List<Instant> expected = new ArrayList<>();
        Instant start = Instant.parse("2028-02-28T23:59:58.999000Z");
        for (int i = 0; i < 3000; i++) {
            Instant at = start.plusNanos(i * 1_000_700L);
            text.timestamp(at).endRow();
            expected.add(at.plusNanos(500).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        }
        String rendered = new String(text.array(), 0, text.size(), StandardCharsets.UTF_8);
        assertThat(Arrays.stream(rendered.split("\n")).map(Instant::parse).toList()).containsExactlyElementsOf(expected);
        assertThat(rendered).contains("2028-02-29T00:00:00.000");
        assertThat(rendered.split("\n"))
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?Z"));
    }

    @Test
    void writesJsonAsJacksonWouldAndEscapesItForCopy() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("values", Arrays.asList("a \"quoted\" \\ value", null, "line\nbreak\ttab\u0001\u001f é"));
        parameters.put("raw", List.of("AAE=", ""));
        parameters.put("format_codes", List.of(0, 1));
        parameters.put("type_oids", List.of(23L, 4294967295L));
        parameters.put("nested", Map.of("flag", true));
        parameters.put("other", new BigDecimal("1.50"));
        String json = render(out -> out.json(parameters));
        String unescaped = json.replace("\\\\", "\\");
        assertThat(Json.readMap(unescaped)).isEqualTo(Json.readMap(Json.write(parameters)));
        assertThat(json).doesNotContain("\n", "\t");
        assertThat(render(out -> out.json(null))).isEqualTo("\\N");
    }
}
