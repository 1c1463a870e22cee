package dev.dbbat.server.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go duration strings ({@code 24h}, {@code 1h30m}, {@code 90s}, {@code 1.5h}, {@code 500ms}). */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {}

    static Duration parse(String text) {
        String value = text.trim();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher matcher = PART.matcher(value);
        int position = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (position < value.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException("expected a duration such as 24h, 90m or 1h30m");
            }
            BigDecimal amount = new BigDecimal(matcher.group(1));
            long unit = switch (matcher.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
            position = matcher.end();
        }
        return Duration.ofNanos(nanos.longValueExact());
    }
}
