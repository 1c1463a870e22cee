package dev.dbbat.api.auth;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding 60-second window per key: a request is allowed while fewer than {@code capacity} requests were allowed in
 * the last 60 s. Thread-safe (one lock per key).
 */
public final class SlidingWindowLimiter {
    private static final long WINDOW_MILLIS = 60_000;
    private static final int MAX_KEYS = 100_000;

    private final int capacity;
    private final Clock clock;
    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();

    /** The outcome of one request. {@code resetEpochSeconds} = oldest request in the window + 60 s. */
    public record Outcome(boolean allowed, int remaining, long resetEpochSeconds, long retryAfterSeconds) {}

    public SlidingWindowLimiter(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome acquire(String key) {
        long now = clock.millis();
        if (windows.size() > MAX_KEYS) {
            windows.entrySet().removeIf(each -> {
                synchronized (each.getValue()) {
                    return each.getValue().isEmpty() || each.getValue().peekLast() <= now - WINDOW_MILLIS;
                }
            });
        }
        Deque<Long> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_MILLIS) {
                window.pollFirst();
            }
            boolean allowed = window.size() < capacity;
            if (allowed) {
                window.addLast(now);
            }
            long oldest = window.isEmpty() ? now : window.peekFirst();
            long resetMillis = oldest + WINDOW_MILLIS;
            long retryAfter = allowed ? 0 : Math.max(1, (resetMillis - now + 999) / 1000);
            return new Outcome(allowed, Math.max(0, capacity - window.size()), (resetMillis + 999) / 1000, retryAfter);
        }
    }
}
