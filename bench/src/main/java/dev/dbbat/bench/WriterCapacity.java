package dev.dbbat.bench;

import dev.dbbat.core.UuidV7;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.PostgresDsn;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.Store;
import dev.dbbat.store.writer.AsyncEventWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How many statement records per second DBBat's store writer ({@link AsyncEventWriter}, default settings) sustains
 * against a real store, measured in-process: one producer offers pgbench-like statement records as fast as it can
 * until the writer turns on back-pressure (or for {@code seconds}); the writer's drain rate while saturated is its
 * capacity. The store is a DBBat store database that a running DBBat already migrated and provisioned.
 */
final class WriterCapacity {
    private WriterCapacity() {}

    /**
     * @param written records per second the writer wrote while the queue was non-empty
     * @param offered records per second the producer offered
     * @param backpressureAfterMillis when back-pressure turned on (-1: never)
     * @param drainMillis how long the writer took to empty its queue after the producer stopped
     * @param failed records not written (offered + the session record − written)
     */
    record Result(double written, double offered, long backpressureAfterMillis, long drainMillis, long failed) {}

    static Result measure(String storeDsn, int seconds) throws InterruptedException {
        try (Store store = Store.open(PostgresDsn.parse(storeDsn), 2, 10_000)) {
            UUID userId = store.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT uid FROM users WHERE username = :name").bind("name", DbbatProcess.USER)
                    .mapTo(UUID.class).one());
            UUID databaseId = store.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT uid FROM databases WHERE name = :name").bind("name", DbbatProcess.DATABASE_NAME)
                    .mapTo(UUID.class).one());
            AsyncEventWriter writer = AsyncEventWriter.start(store.jdbi());
            UUID connectionId = UuidV7.next();
            writer.connectionOpened(ConnectionRecord.opened(connectionId, userId, databaseId, Optional.empty(),
                    "postgresql", "127.0.0.1", Instant.now()));
            long start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            long offered = 0;
            long backpressureAt = -1;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 100; i++) {
                    writer.queryCompleted(record(connectionId, offered++));
                }
                if (writer.isBackpressured()) {
                    backpressureAt = System.nanoTime();
                    break;
                }
            }
            long stoppedOffering = System.nanoTime();
            long expected = offered + 1;
            while (writer.written() + writer.failed() < expected && System.nanoTime() - stoppedOffering < 120e9) {
                Thread.sleep(2);
            }
            long drained = System.nanoTime();
            long written = writer.written();
            long failed = writer.failed();
            writer.close();
            double busySeconds = (drained - start) / 1e9;
            return new Result(written / busySeconds, offered / ((stoppedOffering - start) / 1e9),
                    backpressureAt < 0 ? -1 : (backpressureAt - start) / 1_000_000,
                    (drained - stoppedOffering) / 1_000_000, Math.max(failed, expected - written));
        }
    }

    private static QueryRecord record(UUID connectionId, long n) {
        return new QueryRecord(UuidV7.next(), connectionId, "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
                Optional.of(Map.of("values", List.of(Long.toString(1 + n % 1_000_000)))), Instant.now(),
                Optional.of(new BigDecimal("0.031")), Optional.of(1L), Optional.empty(), Optional.empty(), false, 120,
                Optional.empty(), Optional.empty(), false);
    }
}
