package dev.dbbat.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {
    private final AuthCacheTest.MutableClock clock = new AuthCacheTest.MutableClock();

    private void fail(LoginBackoff backoff, int times) {
        for (int i = 0; i < times; i++) {
            backoff.recordFailure("bob");
        }
    }

    @Test
    void followsTheThresholds() {
        LoginBackoff backoff = new LoginBackoff(true, clock);
        fail(backoff, 2);
        assertThat(backoff.blockedFor("bob")).isZero();
        fail(backoff, 1);
        assertThat(backoff.blockedFor("bob")).isEqualTo(Duration.ofSeconds(5));
        fail(backoff, 2);
        assertThat(backoff.blockedFor("bob")).isEqualTo(Duration.ofSeconds(30));
        fail(backoff, 2);
        assertThat(backoff.blockedFor("bob")).isEqualTo(Duration.ofMinutes(2));
        fail(backoff, 3);
        assertThat(backoff.blockedFor("bob")).isEqualTo(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        assertThat(backoff.blockedFor("bob")).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.blockedFor("alice")).isZero();
    }

    @Test
    void successClearsAndOldFailuresRestartTheCount() {
        LoginBackoff backoff = new LoginBackoff(true, clock);
        fail(backoff, 3);
        backoff.recordSuccess("bob");
        assertThat(backoff.blockedFor("bob")).isZero();
        fail(backoff, 2);
        clock.advance(Duration.ofMinutes(16));
        fail(backoff, 1);
        assertThat(backoff.failures("bob")).isEqualTo(1);
    }

    @Test
    void notEnforcedStillRecords() {
        LoginBackoff backoff = new LoginBackoff(false, clock);
        fail(backoff, 12);
        assertThat(backoff.blockedFor("bob")).isZero();
        assertThat(backoff.failures("bob")).isEqualTo(12);
    }
}
