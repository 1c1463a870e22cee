package dev.dbbat.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CopyTextTest {

    @Test
    void escapesBackslashAndControlCharactersAndWritesNullAsBackslashN() {
        StringBuilder out = new StringBuilder();
        CopyText.append(out, "a\\b\tc\nd\re {\"k\":\"\\n\"}");
        out.append('|');
        CopyText.append(out, null);
        assertThat(out).hasToString("a\\\\b\\tc\\nd\\re {\"k\":\"\\\\n\"}|\\N");
    }

    @Test
    void roundsTimestampsToMicroseconds() {
        assertThat(CopyText.timestamp(Instant.parse("2026-11-25T08:00:00.123456500Z")))
                .isEqualTo("2026-11-25T08:00:00.123457Z");
        assertThat(CopyText.timestamp(Instant.parse("2026-11-25T08:00:00.123456499Z")))
                .isEqualTo("2026-11-25T08:00:00.123456Z");
        assertThat(CopyText.timestamp(Instant.parse("2026-11-25T08:00:00Z"))).isEqualTo("2026-11-25T08:00:00Z");
    }
}
