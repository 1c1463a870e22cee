package dev.dbbat.store.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** PostgreSQL {@code COPY ... FROM STDIN} text format: escaping and value rendering. Internal; stateless. */
public final class CopyText {
    private CopyText() {}

    /** Appends {@code value} escaped for a text-format column ({@code \N} for null). */
    public static void append(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
    }

    /** An ISO-8601 UTC timestamp rounded to microseconds, as the JDBC driver sends a timestamptz. */
    public static String timestamp(Instant instant) {
        return instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS).toString();
    }
}
