package dev.dbbat.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuthCacheTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void answersWithinTheTtlOnly() {
        AuthCache cache = new AuthCache(true, Duration.ofSeconds(10), 10, clock);
        cache.put("k", true);
        assertThat(cache.get("k")).contains(true);
        clock.advance(Duration.ofSeconds(10));
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void evictsTheOldestWhenFull() {
        AuthCache cache = new AuthCache(true, Duration.ofMinutes(5), 2, clock);
        cache.put("a", true);
        clock.advance(Duration.ofSeconds(1));
        cache.put("b", false);
        clock.advance(Duration.ofSeconds(1));
        cache.put("c", true);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("a")).isEmpty();
        assertThat(cache.get("b")).contains(false);
    }

    @Test
    void disabledCacheNeverAnswers() {
        AuthCache cache = new AuthCache(false, Duration.ofMinutes(5), 2, clock);
        cache.put("a", true);
        assertThat(cache.get("a")).isEmpty();
    }

    @Test
    void passwordKeysDependOnTheStoredHashAndNeverContainTheSecret() {
        UUID user = UUID.randomUUID();
        String one = AuthCache.passwordKey(user, "hunter2".toCharArray(), "$argon2id$v=19$m=8192,t=1,p=4$aaaa$bbbb");
        String two = AuthCache.passwordKey(user, "hunter2".toCharArray(), "$argon2id$v=19$m=8192,t=1,p=4$cccc$bbbb");
        assertThat(one).isNotEqualTo(two).doesNotContain("hunter2");
        assertThat(AuthCache.tokenKey("dbb_x".toCharArray(), "h")).doesNotContain("dbb_x");
    }

    @Test
    void readsItsSettingsFromTheEnvironment() {
        AuthCache cache = AuthCache.fromEnv(Map.of("DBB_AUTH_CACHE_ENABLED", "false"));
        cache.put("a", true);
        assertThat(cache.get("a")).isEmpty();
        AuthCache sized = AuthCache.fromEnv(Map.of("DBB_AUTH_CACHE_MAX_SIZE", "1", "DBB_AUTH_CACHE_TTL_SECONDS", "x"));
        sized.put("a", true);
        sized.put("b", true);
        assertThat(sized.size()).isEqualTo(1);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
