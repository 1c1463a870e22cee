package dev.dbbat.store.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.UuidV7;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.testing.Seed;
import dev.dbbat.store.testing.StoreFixture;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the default writer groups statement records into store transactions: each transaction has a fixed cost in the
 * store's backend and on the writer thread, so a burst of statements must go in as few as the defaults allow. Rows
 * inserted by one transaction share its {@code xmin}.
 */
class WriterBatchingIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private static Jdbi jdbi;
    private static UUID connectionId;

    @BeforeAll
    static void setUp() {
        jdbi = STORE.store().jdbi();
        UUID user = Seed.user(jdbi, "batching");
        UUID database = Seed.database(jdbi, "batching");
        connectionId = UuidV7.next();
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        writer.connectionOpened(ConnectionRecord.opened(connectionId, user, database, Optional.empty(),
                "postgresql", "127.0.0.1", Instant.now()));
        writer.close();
    }

    private static QueryRecord statement(int n) {
        return new QueryRecord(UuidV7.next(), connectionId, "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
                Optional.of(Map.of("values", List.of(Integer.toString(n)))), Instant.now(),
                Optional.of(new BigDecimal("0.031")), Optional.of(1L), Optional.empty(), Optional.empty(), false, 120,
                Optional.empty(), Optional.empty(), false);
    }

    @Test
    void aBurstOf2000StatementsIsOneStoreTransaction() throws InterruptedException {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        List<QueryRecord> burst = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                burst.add(statement(i));
            }
            long before = writer.written();
            burst.forEach(writer::queryCompleted); // a millisecond or two: well within the 250 ms linger
            awaitWritten(writer, before + 2000);
        } finally {
            writer.close();
        }
        assertThat(perTransaction(burst.stream().map(QueryRecord::uid).toList())).containsExactly(2000L);
    }

    /** Waits (up to 30 s) until the writer has written {@code total} events, and checks it did. */
    private static void awaitWritten(AsyncEventWriter writer, long total) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (writer.written() < total && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(writer.written()).isEqualTo(total);
    }

    /** How many of the statements {@code ids} each store transaction inserted (rows of one share its xmin). */
    private static List<Long> perTransaction(List<UUID> ids) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM queries WHERE uid IN (<ids>) GROUP BY xmin::text")
                .bindList("ids", ids).mapTo(Long.class).list());
    }

    @Test
    void aTrickleOfStatementsWaitsForOneBatch() throws InterruptedException {
        // a statement every 15 ms for 135 ms: one batch with the default linger (250 ms); 50 ms gave three or more
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        List<UUID> ids = new java.util.ArrayList<>();
        try {
            long before = writer.written();
            for (int i = 0; i < 10; i++) {
                QueryRecord each = statement(10_000 + i);
                ids.add(each.uid());
                writer.queryCompleted(each);
                Thread.sleep(15);
            }
            awaitWritten(writer, before + 10);
        } finally {
            writer.close();
        }
        List<Long> perTransaction = perTransaction(ids);
        assertThat(perTransaction).hasSizeLessThanOrEqualTo(2);
        assertThat(perTransaction.stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
    }
}
