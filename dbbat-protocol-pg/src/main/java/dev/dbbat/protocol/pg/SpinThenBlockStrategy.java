package dev.dbbat.protocol.pg;

import dev.dbbat.protocol.pg.internal.LoopActivity;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * An event loop's wait: while the loop serves at most one active session ({@link LoopActivity}), poll the epoll set
 * without blocking for up to a budget of microseconds before blocking as usual; otherwise Netty's default wait.
 *
 * <p>At one client a relayed round trip waits twice on the proxy (for the database's answer, then for the client's next
 * message), and each blocking wait ends in a wake-up that the kernel schedules: on a virtual machine an interprocessor
 * interrupt and a context switch. When the answer comes within the budget the loop takes it without sleeping. The cost
 * is CPU: at most one budget of polling per wait, none on an idle loop. With several active sessions the loop has work
 * queued often enough, and the cores are better left to the clients and the database (polling there cost 10-20 % of
 * the TPS at 8 clients on two cores, bench/README.md finding 15).
 */
final class SpinThenBlockStrategy implements SelectStrategy {
    private final long budgetNanos;
    /** The loop's activity, fetched on the loop's thread at the first wait. */
    private LoopActivity activity;

    private SpinThenBlockStrategy(long budgetNanos) {
        this.budgetNanos = budgetNanos;
    }

    static SelectStrategyFactory factory(long budgetNanos) {
        return () -> new SpinThenBlockStrategy(budgetNanos);
    }

    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectSupplier.get();
        }
        if (activity == null) {
            activity = LoopActivity.current();
        }
        if (!activity.atMostOneActive()) {
            return SelectStrategy.SELECT;
        }
        long end = System.nanoTime() + budgetNanos;
        do {
            int ready = selectSupplier.get();
            if (ready > 0) {
                return ready;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - end < 0);
        return SelectStrategy.SELECT;
    }
}
