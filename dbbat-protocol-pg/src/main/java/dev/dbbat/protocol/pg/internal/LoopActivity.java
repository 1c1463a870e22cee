package dev.dbbat.protocol.pg.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many sessions an event loop served lately: the sessions whose client sent something in the current or the
 * previous 10 ms window. The loop's wait uses it to poll before sleeping only while it serves at most one active
 * session. One per event loop thread; used on that thread only.
 */
public final class LoopActivity {
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final FastThreadLocal<LoopActivity> CURRENT = new FastThreadLocal<>() {
        @Override
        protected LoopActivity initialValue() {
            return new LoopActivity(System::nanoTime);
        }
    };

    private final LongSupplier clock;
    private long windowStart;
    private long window;
    private int active;
    private int previous;

    LoopActivity(LongSupplier clock) {
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** The calling event loop's activity. */
    public static LoopActivity current() {
        return CURRENT.get();
    }

    /**
     * Counts a session as active in this window. {@code sessionWindow} is what the previous call for that session
     * returned ({@code -1} at first); keep the result for the next call.
     */
    public long touch(long sessionWindow) {
        roll(clock.getAsLong());
        if (sessionWindow != window) {
            active++;
        }
        return window;
    }

    /** Whether at most one session was active in this window and the previous one. */
    public boolean atMostOneActive() {
        roll(clock.getAsLong());
        return active <= 1 && previous <= 1;
    }

    private void roll(long now) {
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            previous = elapsed < 2 * WINDOW_NANOS ? active : 0;
            active = 0;
            window++;
            windowStart = now;
        }
    }
}
