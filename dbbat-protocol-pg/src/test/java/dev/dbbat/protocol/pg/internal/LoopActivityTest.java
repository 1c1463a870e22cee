package dev.dbbat.protocol.pg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopActivityTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private long now = 1_000 * MS;
    private final LoopActivity activity = new LoopActivity(() -> now);

    @Test
    void oneSessionTouchingOftenIsOneActiveSession() {
        long first = -1;
        for (int i = 0; i < 50; i++) {
            first = activity.touch(first);
            now += MS / 2;
        }
        assertThat(activity.atMostOneActive()).isTrue();
    }

    @Test
    void twoSessionsInAWindowAreNotOne() {
        activity.touch(-1);
        activity.touch(-1);
        assertThat(activity.atMostOneActive()).isFalse();
    }

    @Test
    void aBusyWindowStillCountsInTheNextOneAndIsForgottenAfter() {
        long a = activity.touch(-1);
        activity.touch(-1);
        now += 11 * MS; // the next window: the previous one had two sessions
        a = activity.touch(a);
        assertThat(activity.atMostOneActive()).isFalse();
        now += 11 * MS; // one session in the previous window, one in this one
        activity.touch(a);
        assertThat(activity.atMostOneActive()).isTrue();
    }

    @Test
    void aQuietGapLongerThanTwoWindowsForgetsTheBusyWindow() {
        activity.touch(-1);
        activity.touch(-1);
        now += 25 * MS;
        assertThat(activity.atMostOneActive()).isTrue();
    }
}
