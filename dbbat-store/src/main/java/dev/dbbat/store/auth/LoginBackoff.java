package dev.dbbat.store.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login failure backoff per user name: after 3 failures a 5 s block, 5 → 30 s, 7 → 2 min, 10 → 5 min, counted from
 * the last failure. A failure more than 15 min after the previous one restarts the count; a success clears it.
 * Unknown user names are tracked like known ones. Shared by the API and the proxies. Thread-safe.
 *
 * <p>When not enforced (test run mode), failures are still recorded but {@link #blockedFor} always answers zero.
 */
public final class LoginBackoff {
    private static final Duration RESET_AFTER = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 100_000;

    private final boolean enforced;
    private final Clock clock;
    private final Map<String, State> failures = new ConcurrentHashMap<>();

    private record State(int count, Instant last) {}

    public LoginBackoff(boolean enforced, Clock clock) {
        this.enforced = enforced;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How long {@code key} must still wait; {@link Duration#ZERO} when it may try now. */
    public Duration blockedFor(String key) {
        State state = failures.get(key);
        if (!enforced || state == null) {
            return Duration.ZERO;
        }
        Duration block = blockFor(state.count());
        Duration elapsed = Duration.between(state.last(), clock.instant());
        Duration remaining = block.minus(elapsed);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    /** Counts one failure for {@code key}. */
    public void recordFailure(String key) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_ENTRIES) {
            purgeIdle(now);
        }
        failures.compute(key, (k, state) -> state == null || state.last().plus(RESET_AFTER).isBefore(now)
                ? new State(1, now)
                : new State(state.count() + 1, now));
    }

    /** Clears {@code key} after a successful verification. */
    public void recordSuccess(String key) {
        failures.remove(key);
    }

    /** Failures counted so far for {@code key} (for tests and diagnostics). */
    public int failures(String key) {
        State state = failures.get(key);
        return state == null ? 0 : state.count();
    }

    /** Drops entries idle for more than 15 minutes. */
    public void purgeIdle(Instant now) {
        failures.entrySet().removeIf(each -> each.getValue().last().plus(RESET_AFTER).isBefore(now));
    }

    static Duration blockFor(int count) {
        if (count >= 10) {
            return Duration.ofMinutes(5);
        }
        if (count >= 7) {
            return Duration.ofMinutes(2);
        }
        if (count >= 5) {
            return Duration.ofSeconds(30);
        }
        if (count >= 3) {
            return Duration.ofSeconds(5);
        }
        return Duration.ZERO;
    }
}
