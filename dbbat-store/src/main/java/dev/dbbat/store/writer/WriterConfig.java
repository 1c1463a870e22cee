package dev.dbbat.store.writer;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the {@link AsyncEventWriter}. Immutable.
 *
 * @param batchSize events per transaction (at most)
 * @param rowCapacity captured rows that may wait (queued or being written); more are dropped (and counted): the
 *     last-resort cap, for producers that ignore {@link AsyncEventWriter#rowsRelief()} or while the store fails
 * @param rowBytesCapacity estimated heap bytes of captured rows that may wait; more are dropped (and counted)
 * @param statementHighWater queued session/statement events above which {@link AsyncEventWriter#isBackpressured()}
 *     turns on (they are still accepted: never dropped)
 * @param statementLowWater queued session/statement events below which back-pressure turns off again
 * @param idleWait how long the writer sleeps when the queue is empty
 * @param linger how long the writer waits for a batch to fill once its first event is there (zero: write at once);
 *     at a few thousand statements per second this turns one transaction per statement into one per batch
 * @param parkTimeout how long an event whose parent row is missing (FK) is retried before it is given up
 * @param closeTimeout default drain timeout of {@link AsyncEventWriter#close()}
 * @param rowBytesHighWater estimated heap bytes of waiting rows at which {@link AsyncEventWriter#rowsRelief()} asks
 *     producers to pause (so rows within the per-statement caps are not dropped because the store is slower); it
 *     also bounds the rows taken into one batch (a quarter of it)
 * @param rowBytesLowWater estimated heap bytes below which paused producers resume
 */
public record WriterConfig(
        int batchSize,
        int rowCapacity,
        long rowBytesCapacity,
        int statementHighWater,
        int statementLowWater,
        Duration idleWait,
        Duration linger,
        Duration parkTimeout,
        Duration closeTimeout,
        long rowBytesHighWater,
        long rowBytesLowWater) {

    public WriterConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: >= 1)");
        }
        if (rowCapacity < 0 || rowBytesCapacity < 0) {
            throw new IllegalArgumentException("row capacities must be >= 0");
        }
        if (statementLowWater < 0 || statementLowWater > statementHighWater) {
            throw new IllegalArgumentException("statementLowWater: " + statementLowWater + " (expected: 0.."
                    + statementHighWater + ")");
        }
        Objects.requireNonNull(idleWait, "idleWait");
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger: " + linger + " (expected: >= 0)");
        }
        Objects.requireNonNull(parkTimeout, "parkTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (rowBytesLowWater < 0 || rowBytesLowWater > rowBytesHighWater) {
            throw new IllegalArgumentException("rowBytesLowWater: " + rowBytesLowWater + " (expected: 0.."
                    + rowBytesHighWater + ")");
        }
    }

    /**
     * 2000 per batch, waiting up to 250 ms for a batch to fill; captured rows: producers pause above 8 MiB
     * (estimated heap) and resume below 4 MiB, dropped beyond 50 000 rows / 32 MiB; back-pressure above 100 000
     * session/statement events, 30 s to close.
     *
     * <p>Each batch costs the store a fixed amount on top of its rows (its backend wakes up, its caches are cold, the
     * COPY starts and ends), and the writer thread too: at 30,000 statements/s, batches of ~1,500 every 50 ms
     * instead of ~500 every 17 ms took ~0.4 us of the store backend's CPU and ~0.4 us of the writer's off each
     * statement record. When the store shares the proxy's cores (the embedded store, a small machine), round trips
     * in flight while the store works through a batch are held up: at ~8,000 statements/s on two cores (pgbench,
     * 1 client) batches every 2, 10, 50, 250 and 1,000 ms gave 0.70, 0.75, ~0.83, 0.90 and 0.86 of pgbouncer's TPS,
     * the loss being round trips stalled 1-4 ms (bench/README.md, finding 12). A statement shows up in the log at
     * most ~250 ms later under a steady trickle (session events are written at once).
     */
    public static WriterConfig defaults() {
        return new WriterConfig(2000, 50_000, 32L * 1024 * 1024, 100_000, 50_000, Duration.ofMillis(200),
                Duration.ofMillis(250), Duration.ofMinutes(2), Duration.ofSeconds(30), 8L * 1024 * 1024,
                4L * 1024 * 1024);
    }

    /** The last-resort caps (rows dropped beyond them). */
    public WriterConfig withRowCapacity(int rows, long bytes) {
        return new WriterConfig(batchSize, rows, bytes, statementHighWater, statementLowWater, idleWait, linger,
                parkTimeout, closeTimeout, rowBytesHighWater, rowBytesLowWater);
    }

    /** Where row back-pressure turns on and off (estimated heap bytes of waiting rows). */
    public WriterConfig withRowWaterMarks(long high, long low) {
        return new WriterConfig(batchSize, rowCapacity, rowBytesCapacity, statementHighWater, statementLowWater,
                idleWait, linger, parkTimeout, closeTimeout, high, low);
    }

    public WriterConfig withStatementWaterMarks(int high, int low) {
        return new WriterConfig(batchSize, rowCapacity, rowBytesCapacity, high, low, idleWait, linger,
                parkTimeout, closeTimeout, rowBytesHighWater, rowBytesLowWater);
    }

    public WriterConfig withBatchSize(int value) {
        return new WriterConfig(value, rowCapacity, rowBytesCapacity, statementHighWater, statementLowWater, idleWait,
                linger, parkTimeout, closeTimeout, rowBytesHighWater, rowBytesLowWater);
    }

    public WriterConfig withParkTimeout(Duration value) {
        return new WriterConfig(batchSize, rowCapacity, rowBytesCapacity, statementHighWater, statementLowWater,
                idleWait, linger, value, closeTimeout, rowBytesHighWater, rowBytesLowWater);
    }

    public WriterConfig withLinger(Duration value) {
        return new WriterConfig(batchSize, rowCapacity, rowBytesCapacity, statementHighWater, statementLowWater,
                idleWait, value, parkTimeout, closeTimeout, rowBytesHighWater, rowBytesLowWater);
    }

    public WriterConfig withCloseTimeout(Duration value) {
        return new WriterConfig(batchSize, rowCapacity, rowBytesCapacity, statementHighWater, statementLowWater,
                idleWait, linger, parkTimeout, value, rowBytesHighWater, rowBytesLowWater);
    }
}
