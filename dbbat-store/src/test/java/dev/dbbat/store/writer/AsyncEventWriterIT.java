package dev.dbbat.store.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.UuidV7;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.ConnectionRepository;
import dev.dbbat.store.ConnectionRepository.CloseUpdate;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.QueryRepository;
import dev.dbbat.store.testing.Seed;
import dev.dbbat.store.testing.StoreFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AsyncEventWriterIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private static Jdbi jdbi;
    private static UUID user;
    private static UUID database;

    @BeforeAll
    static void setUp() {
        jdbi = STORE.store().jdbi();
        user = Seed.user(jdbi, "writer");
        database = Seed.database(jdbi, "writer-db");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static ConnectionRecord connection() {
        return ConnectionRecord.opened(UuidV7.next(), user, database, Optional.empty(), "postgresql", "127.0.0.1",
                now());
    }

    private static QueryRecord completed(UUID connection, String sql) {
        return new QueryRecord(UuidV7.next(), connection, sql, Optional.empty(), now(),
                Optional.of(new BigDecimal("0.500")), Optional.of(1L), Optional.empty(), Optional.empty(), false, 8,
                Optional.empty(), Optional.empty(), false);
    }

    private static long count(String sql, UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).bind("id", id).mapTo(Long.class).one());
    }

    private static long queriesOf(UUID connection) {
        return count("SELECT count(*) FROM queries WHERE connection_id = :id", connection);
    }

    private static long rowsOf(UUID connection) {
        return count("SELECT count(*) FROM query_rows r JOIN queries q ON q.uid = r.query_id"
                + " WHERE q.connection_id = :id", connection);
    }

    /** Holds an exclusive lock on connections so that the writer's next batch waits; close() releases it. */
    private static Handle lockConnections() {
        Handle handle = jdbi.open();
        handle.begin();
        handle.execute("LOCK TABLE connections IN ACCESS EXCLUSIVE MODE");
        return handle;
    }

    /**
     * Waits until a backend waits for a lock on connections: the writer took the session event queued before and is
     * stuck on {@link #lockConnections()} with that batch (after its linger of up to 50 ms for a session event).
     */
    private static void awaitWriterBlockedOnConnections() throws InterruptedException {
        await(() -> jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM pg_locks"
                + " WHERE NOT granted AND relation = 'connections'::regclass").mapTo(Long.class).one()) > 0);
    }

    /** Holds an exclusive lock on query_rows: the writer's next batch with rows waits; release() frees it. */
    private static Handle lockRows() {
        Handle handle = jdbi.open();
        handle.begin();
        handle.execute("LOCK TABLE query_rows IN ACCESS EXCLUSIVE MODE");
        return handle;
    }

    /** Whether a store session is waiting for the lock on {@code table} (pg_locks is read live). */
    private static boolean waitingOn(String table) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM pg_locks"
                + " WHERE NOT granted AND relation = CAST(:table AS regclass)").bind("table", table)
                .mapTo(Long.class).one()) > 0;
    }

    /** A row of one 200-character value, as a proxy would capture it. */
    private static ResultRow wideRow(long number) {
        return new ResultRow(number, List.of("v"), List.of("x".repeat(190) + String.format("%010d", number)), 200);
    }

    private static void release(Handle lock) {
        lock.rollback();
        lock.close();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder dump = new StringBuilder();
                Thread.getAllStackTraces().forEach((thread, stack) -> {
                    if (thread.getName().startsWith("dbbat-store-writer")) {
                        dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                        for (StackTraceElement each : stack) {
                            dump.append("    at ").append(each).append('\n');
                        }
                    }
                });
                String activity = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT string_agg(pid || ' ' || datname || ' '"
                        + " || coalesce(wait_event_type, '-') || ' ' || state || ' ' || left(query, 40), E'\\n')"
                        + " FROM pg_stat_activity").mapTo(String.class).one());
                dump.append(activity);
                throw new AssertionError("condition not met in time; writer threads:\n" + dump);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void writesASessionWithItsStatementAndRows() {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT id FROM t");
        try (AsyncEventWriter writer = AsyncEventWriter.start(jdbi)) {
            writer.connectionOpened(connection);
            writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(), Optional.empty(),
                    query.executedAt()));
            for (int i = 1; i <= 3; i++) {
                assertThat(writer.resultRow(UuidV7.next(), query.uid(),
                        new ResultRow(i, List.of("id"), List.of((long) i), 1))).isTrue();
            }
            writer.queryCompleted(query);
            writer.connectionClosed(new CloseUpdate(connection.uid(), now(), "client_closed", 1, 99));
        }

        assertThat(new QueryRepository(jdbi).get(query.uid())).contains(query);
        assertThat(new QueryRepository(jdbi).rows(query.uid(), 0, 10, 1 << 20).rows())
                .extracting(each -> each.rowNumber() + "=" + each.rowData())
                .containsExactly("1={\"id\":1}", "2={\"id\":2}", "3={\"id\":3}");
        ConnectionRecord read = new ConnectionRepository(jdbi).get(connection.uid()).orElseThrow();
        assertThat(read.closeReason()).contains("client_closed");
        assertThat(read.queries()).isEqualTo(1);
        assertThat(read.bytesTransferred()).isEqualTo(99);
    }

    @Test
    void buildsDeferredStatementRecordsOnTheWriterThread() {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT deferred");
        UUID failing = UuidV7.next();
        List<String> builders = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AsyncEventWriter writer = AsyncEventWriter.start(jdbi)) {
            writer.connectionOpened(connection);
            writer.queryCompleted(query.uid(), connection.uid(), () -> {
                builders.add(Thread.currentThread().getName());
                return query;
            });
            writer.queryCompleted(failing, connection.uid(), () -> {
                throw new IllegalStateException("secret-free bug");
            });
        }

        assertThat(builders).singleElement().asString().startsWith("dbbat-store-writer");
        assertThat(new QueryRepository(jdbi).get(query.uid())).contains(query);
        QueryRecord kept = new QueryRepository(jdbi).get(failing).orElseThrow();
        assertThat(kept.connectionId()).isEqualTo(connection.uid());
        assertThat(kept.error()).contains("statement record could not be built: IllegalStateException");
        assertThat(queriesOf(connection.uid())).isEqualTo(2);
    }

    @Test
    void dropsResultRowsWhenQueueIsFull() throws InterruptedException {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT big");
        WriterConfig config = WriterConfig.defaults().withRowCapacity(50, 1 << 20);
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, config);
        Handle lock = lockConnections();
        int accepted = 0;
        try {
            writer.connectionOpened(connection);
            awaitWriterBlockedOnConnections(); // the writer is now stuck on the lock with that batch
            writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(), Optional.empty(),
                    query.executedAt()));
            for (int i = 1; i <= 500; i++) {
                if (writer.resultRow(UuidV7.next(), query.uid(), new ResultRow(i, List.of(), List.of("v"), 1))) {
                    accepted++;
                }
            }
            writer.queryCompleted(query.truncated());
        } finally {
            release(lock);
        }
        writer.close();

        assertThat(accepted).isEqualTo(50);
        assertThat(writer.droppedRows()).isEqualTo(450);
        assertThat(rowsOf(connection.uid())).isEqualTo(50);
        assertThat(new QueryRepository(jdbi).get(query.uid()).orElseThrow().resultsTruncated()).isTrue();
        assertThat(writer.failed()).isZero();
    }

    /**
     * A producer that honours {@link AsyncEventWriter#rowsRelief()} (as the proxy does, per read batch of rows) is
     * paused while the store is slow instead of losing rows: with the store blocked, the rows waiting stay near the
     * high-water mark (far under the last-resort cap, which the 2,000 rows would overflow) and, once the store
     * moves, every row is written.
     */
    @Test
    void pausesRowProducersInsteadOfDroppingRowsWhileTheStoreIsSlow() throws Exception {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT wide");
        long high = 64 * 1024;
        WriterConfig config = WriterConfig.defaults().withRowWaterMarks(high, high / 2).withRowCapacity(50_000,
                256 * 1024);
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, config);
        int rows = 2_000;
        int perRead = 10;
        java.util.concurrent.atomic.AtomicInteger paused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();
        Handle lock = lockRows();
        java.util.concurrent.CompletableFuture<Void> producer;
        try {
            writer.connectionOpened(connection);
            writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(), Optional.empty(),
                    query.executedAt()));
            producer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= rows; i++) {
                    assertThat(writer.resultRow(UuidV7.next(), query.uid(), wideRow(i))).isTrue();
                    offered.incrementAndGet();
                    if (i % perRead == 0) {
                        java.util.concurrent.CompletionStage<Void> wait = writer.rowsRelief();
                        if (wait != null) {
                            paused.incrementAndGet();
                            wait.toCompletableFuture().join();
                        }
                    }
                }
            });
            await(() -> waitingOn("query_rows"));
            await(() -> paused.get() > 0);
            Thread.sleep(300);
            // blocked: the producer waits instead of offering rows the writer would drop
            assertThat(producer).isNotDone();
            assertThat(offered.get()).isLessThan(rows);
            assertThat(writer.rowBytesWaiting()).isGreaterThanOrEqualTo(high);
        } finally {
            release(lock);
        }
        producer.get(30, java.util.concurrent.TimeUnit.SECONDS);
        writer.queryCompleted(query);
        writer.close();

        assertThat(writer.droppedRows()).isZero();
        assertThat(rowsOf(connection.uid())).isEqualTo(rows);
        assertThat(new QueryRepository(jdbi).get(query.uid()).orElseThrow().resultsTruncated()).isFalse();
        long perRow = WriterEvent.Row.weigh(wideRow(1));
        assertThat(writer.maxRowBytesWaiting()).isLessThanOrEqualTo(high + perRead * perRow);
        assertThat(writer.failed()).isZero();
    }

    @Test
    void rowsReliefCompletesBelowTheLowWaterMarkAndIsNullUnderTheHighOne() throws Exception {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT marks");
        long perRow = WriterEvent.Row.weigh(wideRow(1));
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, WriterConfig.defaults()
                .withRowWaterMarks(100 * perRow, 50 * perRow));
        assertThat(writer.rowsRelief()).isNull();
        Handle lock = lockRows();
        java.util.concurrent.CompletableFuture<Void> relief;
        try {
            writer.connectionOpened(connection);
            writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(), Optional.empty(),
                    query.executedAt()));
            for (int i = 1; i <= 99; i++) {
                writer.resultRow(UuidV7.next(), query.uid(), wideRow(i));
            }
            assertThat(writer.rowsRelief()).isNull();
            writer.resultRow(UuidV7.next(), query.uid(), wideRow(100));
            relief = writer.rowsRelief().toCompletableFuture();
            assertThat(writer.rowsRelief()).isSameAs(relief);
            await(() -> waitingOn("query_rows"));
            Thread.sleep(200);
            assertThat(relief).isNotDone();
        } finally {
            release(lock);
        }
        relief.get(20, java.util.concurrent.TimeUnit.SECONDS);
        writer.queryCompleted(query);
        writer.close();
        assertThat(rowsOf(connection.uid())).isEqualTo(100);
    }

    /** A store that fails (not merely slow) must not stall every result: paused producers are let go. */
    @Test
    void releasesRowProducersWhileTheStoreFails() throws Exception {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT failing");
        long perRow = WriterEvent.Row.weigh(wideRow(1));
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, WriterConfig.defaults()
                .withRowWaterMarks(20 * perRow, 10 * perRow));
        Handle lock = lockRows();
        try {
            writer.connectionOpened(connection);
            writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(), Optional.empty(),
                    query.executedAt()));
            for (int i = 1; i <= 30; i++) {
                writer.resultRow(UuidV7.next(), query.uid(), wideRow(i));
            }
            java.util.concurrent.CompletableFuture<Void> relief = writer.rowsRelief().toCompletableFuture();
            await(() -> waitingOn("query_rows"));
            assertThat(relief).isNotDone();
            jdbi.useHandle(handle -> handle.createQuery("SELECT pg_terminate_backend(pid) FROM pg_locks"
                    + " WHERE NOT granted AND relation = 'query_rows'::regclass").mapTo(Boolean.class).list());
            relief.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(writer.rowsRelief()).isNull(); // still failing: the retry waits on the lock again
        } finally {
            release(lock);
        }
        writer.queryCompleted(query);
        writer.close();
        assertThat(rowsOf(connection.uid())).isEqualTo(30);
        assertThat(writer.failed()).isZero();
    }

    @Test
    void takesARowHeavierThanTheByteCapWhenNoOtherRowWaits() throws Exception {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT wide value");
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, WriterConfig.defaults().withRowCapacity(50_000,
                64 * 1024));
        ResultRow huge = new ResultRow(1, List.of("v"), List.of("y".repeat(100_000)), 100_000);
        Handle lock = lockRows();
        try {
            writer.connectionOpened(connection);
            writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(), Optional.empty(),
                    query.executedAt()));
            assertThat(writer.resultRow(UuidV7.next(), query.uid(), huge)).isTrue();
            assertThat(writer.resultRow(UuidV7.next(), query.uid(), new ResultRow(2, List.of("v"),
                    List.of("y".repeat(100_000)), 100_000))).isFalse();
        } finally {
            release(lock);
        }
        writer.queryCompleted(query.truncated());
        writer.close();
        assertThat(rowsOf(connection.uid())).isEqualTo(1);
        assertThat(writer.droppedRows()).isEqualTo(1);
    }

    @Test
    void statementsReliefCompletesWhenBackpressureTurnsOff() throws Exception {
        ConnectionRecord connection = connection();
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi,
                WriterConfig.defaults().withStatementWaterMarks(100, 10));
        assertThat(writer.statementsRelief()).isNull();
        Handle lock = lockConnections();
        java.util.concurrent.CompletableFuture<Void> relief;
        try {
            writer.connectionOpened(connection);
            awaitWriterBlockedOnConnections();
            for (int i = 0; i < 200; i++) {
                writer.queryCompleted(completed(connection.uid(), "SELECT " + i));
            }
            assertThat(writer.isBackpressured()).isTrue();
            relief = writer.statementsRelief().toCompletableFuture();
            Thread.sleep(200);
            assertThat(relief).isNotDone();
        } finally {
            release(lock);
        }
        relief.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(writer.isBackpressured()).isFalse();
        writer.close();
        assertThat(queriesOf(connection.uid())).isEqualTo(200);
    }

    /** Rows go in with COPY: values that need JSON and COPY escaping, and any Unicode, read back as offered. */
    @Test
    void copiesRowsWithAwkwardValuesIntact() {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT awkward");
        List<String> values = List.of("tab\there\tand\\back\\slash", "line\nbreak\r\nend", "quote \" and \\\"",
                "é ✓ 日本 \uD83D\uDE00", "nul\u0000byte", "ctrl\u0001\u001f\b\f", "{\"not\": \"json\"}",
                "lone \uD800 surrogate", "\\.", "x".repeat(100_000));
        List<String> expected = List.of("tab\there\tand\\back\\slash", "line\nbreak\r\nend", "quote \" and \\\"",
                "é ✓ 日本 \uD83D\uDE00", "nul\uFFFDbyte", "ctrl\u0001\u001f\b\f", "{\"not\": \"json\"}",
                "lone ? surrogate", "\\.", "x".repeat(100_000));
        try (AsyncEventWriter writer = AsyncEventWriter.start(jdbi)) {
            writer.connectionOpened(connection);
            writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(), Optional.empty(),
                    query.executedAt()));
            for (int i = 0; i < values.size(); i++) {
                ResultRow.JsonText json = new ResultRow.JsonText("{\"k\": [1, \"a\\tb\"]}");
                writer.resultRow(UuidV7.next(), query.uid(), new ResultRow(i + 1, List.of("v", "n", "j"),
                        java.util.Arrays.asList(values.get(i), (long) i, json), 10));
            }
            writer.queryCompleted(query);
        }

        List<String> stored = jdbi.withHandle(handle -> handle.createQuery("SELECT row_data->>'v' FROM query_rows"
                + " WHERE query_id = :id ORDER BY row_number").bind("id", query.uid()).mapTo(String.class).list());
        assertThat(stored).containsExactlyElementsOf(expected);
        // through jsonb so that the comparison holds whether row_data is json (text kept) or jsonb (normalised)
        List<String> json = jdbi.withHandle(handle -> handle.createQuery("SELECT (row_data->'j')::jsonb::text"
                + " || ' ' || (row_data->>'n') FROM query_rows WHERE query_id = :id ORDER BY row_number")
                .bind("id", query.uid()).mapTo(String.class).list());
        assertThat(json).first().isEqualTo("{\"k\": [1, \"a\\tb\"]} 0");
    }

    @Test
    void copiesCompletedStatementsWithTheSameValuesAnUpsertWrites() throws InterruptedException {
        ConnectionRecord connection = connection();
        String awkward = "SELECT '\\t\ttab', E'\\n'\n-- line\r\n; \"quoted\" é ✓";
        java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        parameters.put("values", java.util.Arrays.asList("a\tb\\c\nd", null, "{\"k\": [1, \"x\"]}"));
        QueryRecord full = new QueryRecord(UuidV7.next(), connection.uid(), awkward, Optional.of(parameters), now(),
                Optional.of(new BigDecimal("12.345")), Optional.empty(), Optional.of("boom\tat\nline 2"),
                Optional.of("42P01"), true, 1234, Optional.of("csv"), Optional.of("out"), true);
        QueryRecord bare = new QueryRecord(UuidV7.next(), connection.uid(), "SELECT 1", Optional.empty(), now(),
                Optional.empty(), Optional.of(0L), Optional.empty(), Optional.empty(), false, 0, Optional.empty(),
                Optional.empty(), false);
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        writer.connectionOpened(connection);
        writer.queryCompleted(full);
        writer.queryCompleted(bare);
        writer.close();

        QueryRepository queries = new QueryRepository(jdbi);
        assertThat(queries.get(full.uid())).contains(full);
        assertThat(queries.get(bare.uid())).contains(bare);
        // the same records through the upsert path read back equal too
        QueryRecord again = new QueryRecord(UuidV7.next(), full.connectionId(), full.sqlText(), full.parameters(),
                full.executedAt(), full.durationMs(), full.rowsAffected(), full.error(), full.sqlState(), true, 1234,
                full.copyFormat(), full.copyDirection(), true);
        jdbi.useTransaction(handle -> QueryRepository.upsertCompleted(handle, List.of(again)));
        QueryRecord upserted = queries.get(again.uid()).orElseThrow();
        assertThat(upserted.sqlText()).isEqualTo(full.sqlText());
        assertThat(upserted.parameters()).isEqualTo(full.parameters());
        assertThat(upserted.executedAt()).isEqualTo(full.executedAt());
        assertThat(upserted.durationMs()).isEqualTo(full.durationMs());
        assertThat(upserted.error()).isEqualTo(full.error());
        assertThat(writer.failed()).isZero();
    }

    @Test
    void neverLosesAStatementRecordUnderAFullQueue() throws InterruptedException {
        ConnectionRecord connection = connection();
        WriterConfig config = WriterConfig.defaults().withStatementWaterMarks(100, 10).withRowCapacity(10, 1 << 20);
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, config);
        Handle lock = lockConnections();
        try {
            writer.connectionOpened(connection);
            awaitWriterBlockedOnConnections();
            for (int i = 0; i < 3000; i++) {
                assertThat(writer.queryCompleted(completed(connection.uid(), "SELECT " + i))).isTrue();
            }
            assertThat(writer.isBackpressured()).isTrue();
            assertThat(writer.queueDepth()).isEqualTo(3000);
        } finally {
            release(lock);
        }
        await(() -> !writer.isBackpressured());
        writer.close();

        assertThat(queriesOf(connection.uid())).isEqualTo(3000);
        assertThat(writer.written()).isEqualTo(3001);
        assertThat(writer.failed()).isZero();
    }

    @Test
    void drainsEverythingAcceptedOnClose() {
        ConnectionRecord connection = connection();
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        writer.connectionOpened(connection);
        UUID query = UuidV7.next();
        writer.queryStarted(QueryRecord.started(query, connection.uid(), "SELECT many", Optional.empty(), now()));
        for (int i = 0; i < 4000; i++) {
            writer.queryCompleted(completed(connection.uid(), "SELECT " + i));
            writer.resultRow(UuidV7.next(), query, new ResultRow(i + 1, List.of("i"), List.of((long) i), 8));
        }

        assertThat(writer.close(Duration.ofSeconds(30))).isTrue();

        assertThat(queriesOf(connection.uid())).isEqualTo(4001);
        assertThat(rowsOf(connection.uid())).isEqualTo(4000);
        assertThat(writer.accepted()).isEqualTo(writer.written()).isEqualTo(8002);
        assertThat(writer.queryCompleted(completed(connection.uid(), "too late"))).isFalse();
        assertThat(writer.rejectedAfterClose()).isEqualTo(1);
    }

    @Test
    void keepsRecordsWhoseParentArrivesLater() throws InterruptedException {
        ConnectionRecord connection = connection();
        QueryRecord early = completed(connection.uid(), "SELECT before the connection row");
        try (AsyncEventWriter writer = AsyncEventWriter.start(jdbi)) {
            writer.queryCompleted(early);
            writer.connectionClosed(new CloseUpdate(connection.uid(), now(), "client_closed", 1, 5));
            // the statement row needs no parent row (the log tables have no foreign keys); the close is an update of
            // a row that does not exist yet: it waits for it
            await(() -> writer.parked() == 1);
            assertThat(new QueryRepository(jdbi).get(early.uid())).contains(early);
            writer.connectionOpened(connection);
            await(() -> writer.parked() == 0);
            assertThat(writer.failed()).isZero();
        }

        assertThat(new QueryRepository(jdbi).get(early.uid())).contains(early);
        assertThat(new ConnectionRepository(jdbi).get(connection.uid()).orElseThrow().closeReason())
                .contains("client_closed");
    }

    @Test
    void writesTheRestOfABatchWhenOneRecordIsRejected() {
        ConnectionRecord connection = connection();
        QueryRecord good = completed(connection.uid(), "SELECT good");
        QueryRecord bad = new QueryRecord(UuidV7.next(), connection.uid(), "COPY x", Optional.empty(), now(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, 0,
                Optional.of("yaml"), Optional.of("sideways"), false);
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        writer.connectionOpened(connection);
        writer.queryCompleted(bad);
        writer.queryCompleted(good);
        writer.close();

        assertThat(new QueryRepository(jdbi).get(good.uid())).isPresent();
        assertThat(new QueryRepository(jdbi).get(bad.uid())).isEmpty();
        assertThat(writer.failed()).isEqualTo(1);
        assertThat(writer.written()).isEqualTo(2);
    }

    @Test
    void storesNulCharactersAsReplacementCharacters() {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT 'a\u0000b'");
        try (AsyncEventWriter writer = AsyncEventWriter.start(jdbi)) {
            writer.connectionOpened(connection);
            writer.queryCompleted(query);
        }

        assertThat(new QueryRepository(jdbi).get(query.uid()).orElseThrow().sqlText()).isEqualTo("SELECT 'a\uFFFDb'");
    }

    @Test
    void retriesABatchWhenItsStoreConnectionDies() throws InterruptedException {
        ConnectionRecord connection = connection();
        QueryRecord query = completed(connection.uid(), "SELECT survives");
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        Handle lock = lockConnections();
        try {
            writer.connectionOpened(connection);
            awaitWriterBlockedOnConnections();
            writer.queryCompleted(query);
            // pg_locks is read live (pg_stat_activity is snapshotted per transaction)
            await(() -> jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM pg_locks"
                    + " WHERE NOT granted AND relation = 'connections'::regclass").mapTo(Long.class).one()) > 0);
            jdbi.useHandle(handle -> handle.createQuery("SELECT pg_terminate_backend(pid) FROM pg_locks"
                    + " WHERE NOT granted AND relation = 'connections'::regclass").mapTo(Boolean.class).list());
        } finally {
            release(lock);
        }
        writer.close();

        assertThat(new QueryRepository(jdbi).get(query.uid())).contains(query);
        assertThat(writer.failed()).isZero();
        assertThat(writer.written()).isEqualTo(2);
    }

    @Test
    void losesNothingFromManyConcurrentProducers() throws InterruptedException {
        int producers = 4;
        int perProducer = 1500;
        List<ConnectionRecord> sessions = new java.util.ArrayList<>();
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, WriterConfig.defaults().withBatchSize(97));
        List<Thread> threads = new java.util.ArrayList<>();
        for (int p = 0; p < producers; p++) {
            ConnectionRecord connection = connection();
            sessions.add(connection);
            threads.add(new Thread(() -> {
                writer.connectionOpened(connection);
                for (int i = 0; i < perProducer; i++) {
                    QueryRecord query = completed(connection.uid(), "SELECT " + i);
                    writer.queryStarted(QueryRecord.started(query.uid(), connection.uid(), query.sqlText(),
                            Optional.empty(), query.executedAt()));
                    writer.resultRow(UuidV7.next(), query.uid(), new ResultRow(1, List.of("i"), List.of((long) i), 8));
                    writer.queryCompleted(query);
                }
                writer.connectionClosed(new CloseUpdate(connection.uid(), now(), "client_closed", perProducer, 1));
            }, "producer-" + p));
        }
        threads.forEach(Thread::start);
        for (Thread each : threads) {
            each.join();
        }

        assertThat(writer.close(Duration.ofSeconds(60))).isTrue();

        for (ConnectionRecord each : sessions) {
            assertThat(queriesOf(each.uid())).isEqualTo(perProducer);
            assertThat(rowsOf(each.uid())).isEqualTo(perProducer);
            assertThat(new ConnectionRepository(jdbi).get(each.uid()).orElseThrow().queries()).isEqualTo(perProducer);
        }
        assertThat(writer.failed()).isZero();
        assertThat(writer.parked()).isZero();
        assertThat(writer.written()).isEqualTo(writer.accepted());
    }

    @Test
    void accountsForEverythingWhenCloseTimesOut() {
        ConnectionRecord connection = connection();
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        Handle lock = lockConnections();
        boolean drained;
        try {
            writer.connectionOpened(connection);
            for (int i = 0; i < 10; i++) {
                writer.queryCompleted(completed(connection.uid(), "SELECT " + i));
            }
            long start = System.nanoTime();
            drained = writer.close(Duration.ofMillis(300));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            release(lock);
        }

        assertThat(drained).isFalse();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (writer.written() + writer.failed() < writer.accepted() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(writer.written() + writer.failed()).isEqualTo(writer.accepted());
    }

    @Test
    void givesUpTheRowsOfARejectedStatementAtOnce() {
        ConnectionRecord connection = connection();
        QueryRecord bad = new QueryRecord(UuidV7.next(), connection.uid(), "COPY y", Optional.empty(), now(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, 0,
                Optional.of("yaml"), Optional.empty(), false);
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        writer.connectionOpened(connection);
        writer.queryCompleted(bad);
        for (int i = 1; i <= 3; i++) {
            writer.resultRow(UuidV7.next(), bad.uid(), new ResultRow(i, List.of(), List.of("r"), 1));
        }
        writer.close();

        assertThat(writer.failed()).isEqualTo(4);
        assertThat(writer.parked()).isZero();
        assertThat(writer.written()).isEqualTo(1);
        assertThat(queriesOf(connection.uid())).isZero();
    }

    @Test
    void recordsASessionWithoutItsGrantWhenTheGrantIsUnknown() {
        ConnectionRecord connection = new ConnectionRecord(UuidV7.next(), user, database, Optional.of(UuidV7.next()),
                "postgresql", "127.0.0.1", now(), now(), Optional.empty(), Optional.empty(), 0, 0);
        QueryRecord query = completed(connection.uid(), "SELECT kept");
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        writer.connectionOpened(connection);
        writer.queryCompleted(query);
        writer.close();

        assertThat(new ConnectionRepository(jdbi).get(connection.uid())).contains(connection.withoutGrant());
        assertThat(new QueryRepository(jdbi).get(query.uid())).isPresent();
        assertThat(writer.failed()).isZero();
    }
}
