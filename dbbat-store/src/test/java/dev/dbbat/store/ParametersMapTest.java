package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.event.QueryParameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The statement parameters the store builds once and hands to {@link QueryRecord} without a copy. */
class ParametersMapTest {

    @Test
    void aStatementsParametersAreTheDocumentedObjectInItsOrder() {
        QueryParameters bound = new QueryParameters(Arrays.asList("42", null), List.of("NDI=", ""), List.of(0, 1),
                List.of(23L, 0L));

        Map<String, Object> built = RecordingInterceptor.parameters(bound);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("values", Arrays.asList("42", null));
        expected.put("raw", List.of("NDI=", ""));
        expected.put("format_codes", List.of(0, 1));
        expected.put("type_oids", List.of(23L, 0L));
        assertThat(built).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(built);
        assertThat(built.keySet()).containsExactly("values", "raw", "format_codes", "type_oids");
        List<String> visited = new ArrayList<>();
        built.forEach((key, value) -> visited.add(key + "=" + value));
        assertThat(visited).containsExactly("values=[42, null]", "raw=[NDI=, ]", "format_codes=[0, 1]",
                "type_oids=[23, 0]");
        assertThat(built.get("raw")).isEqualTo(List.of("NDI=", ""));
        assertThat(built.get("missing")).isNull();
        assertThat(built).containsKey("type_oids").doesNotContainKey("missing");
        assertThat(built.toString()).isEqualTo(expected.toString());
    }

    @Test
    void emptyListsAreLeftOutAndNulCharactersReplaced() {
        Map<String, Object> built = RecordingInterceptor.parameters(QueryParameters.ofValues(List.of("a\u0000b", "c")));

        assertThat(built).isEqualTo(Map.of("values", List.of("a\uFFFDb", "c")));
        assertThat(built.keySet()).containsExactly("values");
    }

    @Test
    @SuppressWarnings("unchecked")
    void itCannotBeChangedAndARecordKeepsIt() {
        Map<String, Object> built = RecordingInterceptor.parameters(QueryParameters.ofValues(List.of("1")));

        assertThatThrownBy(() -> built.put("values", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> built.entrySet().iterator().next().setValue(List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<Object>) built.get("values")).add("2"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(record(built).parameters()).containsSame(built);
    }

    @Test
    void aRecordCopiesAnyOtherMap() {
        Map<String, Object> mutable = new LinkedHashMap<>();
        mutable.put("values", List.of("1"));

        QueryRecord record = record(mutable);
        mutable.put("raw", List.of("MQ=="));

        assertThat(record.parameters().orElseThrow()).isEqualTo(Map.of("values", List.of("1")));
        assertThatThrownBy(() -> record.parameters().orElseThrow().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static QueryRecord record(Map<String, Object> parameters) {
        return QueryRecord.started(UUID.randomUUID(), UUID.randomUUID(), "SELECT $1", Optional.of(parameters),
                Instant.now());
    }
}
