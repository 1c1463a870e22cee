package dev.dbbat.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.protocol.pg.internal.LoopActivity;
import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each case runs on a thread of its own: {@link LoopActivity} is per thread, as it is per event loop. */
class SpinThenBlockStrategyTest {
    private static final long BUDGET = TimeUnit.MILLISECONDS.toNanos(20);
    /** Long enough that a thread descheduled on a busy machine still finds its event within it. */
    private static final long LONG_BUDGET = TimeUnit.SECONDS.toNanos(5);
    private final AtomicInteger polls = new AtomicInteger();

    /** A poll of the epoll set that finds {@code ready} events from its {@code n}-th call on, none before. */
    private IntSupplier readyAtPoll(int n, int ready) {
        return () -> polls.incrementAndGet() >= n ? ready : 0;
    }

    private static <T> T onLoopThread(Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(body);
        Thread thread = new Thread(task, "test-loop");
        thread.start();
        return task.get(10, TimeUnit.SECONDS);
    }

    @Test
    void withOneActiveSessionPollsUntilAnEventIsReady() throws Exception {
        int strategy = onLoopThread(() -> {
            LoopActivity.current().touch(-1);
            return SpinThenBlockStrategy.factory(LONG_BUDGET).newSelectStrategy()
                    .calculateStrategy(readyAtPoll(5, 2), false);
        });
        assertThat(strategy).isEqualTo(2);
        assertThat(polls).hasValue(5);
    }

    @Test
    void withNothingReadyWithinTheBudgetBlocks() throws Exception {
        long[] elapsed = new long[1];
        int strategy = onLoopThread(() -> {
            long start = System.nanoTime();
            int result = SpinThenBlockStrategy.factory(BUDGET).newSelectStrategy()
                    .calculateStrategy(readyAtPoll(Integer.MAX_VALUE, 1), false);
            elapsed[0] = System.nanoTime() - start;
            return result;
        });
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(elapsed[0]).isGreaterThanOrEqualTo(BUDGET);
        assertThat(polls.get()).isGreaterThan(1);
    }

    @Test
    void withTwoActiveSessionsBlocksWithoutPolling() throws Exception {
        int strategy = onLoopThread(() -> {
            LoopActivity.current().touch(-1);
            LoopActivity.current().touch(-1);
            return SpinThenBlockStrategy.factory(BUDGET).newSelectStrategy()
                    .calculateStrategy(readyAtPoll(1, 1), false);
        });
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(0);
    }

    @Test
    void withTasksQueuedPollsOnceAndRunsThem() throws Exception {
        int strategy = onLoopThread(() -> SpinThenBlockStrategy.factory(BUDGET).newSelectStrategy()
                .calculateStrategy(readyAtPoll(Integer.MAX_VALUE, 1), true));
        assertThat(strategy).isZero();
        assertThat(polls).hasValue(1);
    }
}
