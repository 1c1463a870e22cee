package dev.dbbat.protocol.pg.internal;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * An event-loop select strategy that, when the loop had work moments ago, polls for ready channels for up to
 * {@code spinNanos} before blocking in the kernel: a relayed request and its answer usually arrive microseconds apart,
 * and catching them without a sleep saves a context switch and a wake-up per message. An idle loop (no work within the
 * last spin window) blocks at once, so an idle proxy burns nothing. One instance per event loop (not thread-safe).
 */
public final class SpinThenBlockStrategy implements SelectStrategy {
    private static final long POLL_INTERVAL_NANOS = 2_000;
    private final long spinNanos;
    private long lastWorkNanos;

    private SpinThenBlockStrategy(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** A factory of strategies spinning up to {@code spinNanos}; 0 gives Netty's default strategy. */
    public static SelectStrategyFactory factory(long spinNanos) {
        if (spinNanos <= 0) {
            return io.netty.channel.DefaultSelectStrategyFactory.INSTANCE;
        }
        return () -> new SpinThenBlockStrategy(spinNanos);
    }

    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        int ready = selectSupplier.get();
        long now = System.nanoTime();
        if (ready > 0 || hasTasks) {
            lastWorkNanos = now;
            return ready;
        }
        long deadline = lastWorkNanos + spinNanos;
        while (now < deadline) {
            long next = now + POLL_INTERVAL_NANOS;
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            ready = selectSupplier.get();
            now = System.nanoTime();
            if (ready > 0) {
                lastWorkNanos = now;
                return ready;
            }
        }
        return SelectStrategy.SELECT;
    }
}
