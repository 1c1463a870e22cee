package dev.dbbat.store.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.UuidV7;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.ConnectionRepository;
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

    @Test
    void aSessionOpenedAndClosedInOneBatchIsInsertedClosedWithoutAnUpdate() throws InterruptedException {
        UUID user = Seed.user(jdbi, "short-session");
        UUID database = Seed.database(jdbi, "short-session");
        long[] before = settledConnectionTupleCounts();
        UUID shortSession = UuidV7.next();
        Instant opened = Instant.now();
        Instant closed = opened.plusMillis(3);
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        try {
            long written = writer.written();
            writer.connectionOpened(ConnectionRecord.opened(shortSession, user, database, Optional.empty(),
                    "postgresql", "127.0.0.1", opened));
            writer.connectionClosed(new ConnectionRepository.CloseUpdate(shortSession, closed, "client disconnected",
                    2, 512));
            awaitWritten(writer, written + 2);
        } finally {
            writer.close();
        }
        Map<String, Object> row = jdbi.withHandle(handle -> handle.createQuery("SELECT disconnected_at,"
                        + " close_reason, queries, bytes_transferred, last_activity_at FROM connections WHERE uid = :uid")
                .bind("uid", shortSession).mapToMap().one());
        assertThat(((java.sql.Timestamp) row.get("disconnected_at")).toInstant())
                .isBetween(closed.minusNanos(1000), closed.plusNanos(1000));
        assertThat(row.get("close_reason")).isEqualTo("client disconnected");
        assertThat(((Number) row.get("queries")).longValue()).isEqualTo(2L);
        assertThat(((Number) row.get("bytes_transferred")).longValue()).isEqualTo(512L);
        assertThat(((java.sql.Timestamp) row.get("last_activity_at")).toInstant())
                .isBetween(closed.minusNanos(1000), closed.plusNanos(1000));
        // each backend reports its inserts and updates to the statistics system together, within ~1 s of going idle
        long[] after = settledConnectionTupleCounts();
        assertThat(after[0]).as("connections inserted").isEqualTo(before[0] + 1);
        assertThat(after[1]).as("connections updated").isEqualTo(before[1]);
    }

    /**
     * {@code n_tup_ins} and {@code n_tup_upd} of {@code connections} once the statistics system has heard of every
     * row in it (nothing deletes from it here): waits up to 15 s.
     */
    private static long[] settledConnectionTupleCounts() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            long[] counts = jdbi.withHandle(handle -> {
                handle.execute("SELECT pg_stat_clear_snapshot()");
                return handle.createQuery("SELECT n_tup_ins, n_tup_upd, (SELECT count(*) FROM connections)"
                                + " FROM pg_stat_user_tables WHERE relname = 'connections'")
                        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one();
            });
            if (counts[0] >= counts[2] || System.nanoTime() > deadline) {
                assertThat(counts[0]).as("inserts the statistics system reports").isEqualTo(counts[2]);
                return counts;
            }
            Thread.sleep(100);
        }
    }
}
