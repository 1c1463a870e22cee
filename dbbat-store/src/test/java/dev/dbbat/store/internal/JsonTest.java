package dev.dbbat.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsNullAndEmptyAsAnEmptyMap() {
        assertThat(Json.readMap(null)).isEmpty();
        assertThat(Json.readMap("")).isEmpty();
        assertThat(Json.readMap("null")).isEmpty();
    }

    @Test
    void writesTimesAsIsoStringsAndUnwrapsOptionals() {
        assertThat(Json.write(Map.of("at", Instant.parse("2026-01-02T03:04:05Z"))))
                .isEqualTo("{\"at\":\"2026-01-02T03:04:05Z\"}");
        assertThat(Json.write(List.of(Optional.of(1), Optional.empty()))).isEqualTo("[1,null]");
    }

    @Test
    void rejectsANonObject() {
        assertThatThrownBy(() -> Json.readMap("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cleansNulCharacters() {
        assertThat(Text.clean("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(Text.clean(null)).isNull();
    }
}
