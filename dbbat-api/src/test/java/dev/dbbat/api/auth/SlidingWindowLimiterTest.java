package dev.dbbat.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SlidingWindowLimiterTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void allowsCapacityRequestsPerSlidingMinute() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(3, clock);
        assertThat(limiter.acquire("u").remaining()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(20));
        limiter.acquire("u");
        limiter.acquire("u");
        SlidingWindowLimiter.Outcome refused = limiter.acquire("u");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(40);
        assertThat(refused.resetEpochSeconds()).isEqualTo(clock.instant().plusSeconds(40).getEpochSecond());
        assertThat(limiter.acquire("other").allowed()).isTrue();
        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.acquire("u").allowed()).isTrue();
        assertThat(limiter.acquire("u").allowed()).isFalse();
    }

    @Test
    void refusedRequestsDoNotExtendTheWindow() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(1, clock);
        limiter.acquire("u");
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5));
            limiter.acquire("u");
        }
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.acquire("u").allowed()).isTrue();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
