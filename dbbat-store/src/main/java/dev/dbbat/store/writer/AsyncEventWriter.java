package dev.dbbat.store.writer;

import dev.dbbat.core.event.ResultRow;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.ConnectionRepository.CloseUpdate;
import dev.dbbat.store.ConnectionRepository.StatsUpdate;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.QueryRowRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way proxies write to the store: sessions ({@code connections}), statements ({@code queries}) and
 * captured rows ({@code query_rows}) are queued without blocking and written by one daemon thread
 * ({@code dbbat-store-writer}) in batches of up to {@link WriterConfig#batchSize()} events, one transaction per
 * batch, with Jdbi {@code PreparedBatch}es.
 *
 * <p><b>Never blocks, never drops a statement.</b> Every submit method returns at once, so Netty event loops may call
 * it. The queue is one FIFO, so an event is always written in the same or a later batch than every event submitted
 * before it by the same thread, and a batch is written parents first (connections, statements, rows, then updates):
 * <ul>
 *   <li>Session and statement records ({@code connectionOpened/Stats/Closed}, {@code queryStarted/Completed}) are
 *       always accepted (until {@link #close()}). When more than {@link WriterConfig#statementHighWater()} of them
 *       wait, {@link #isBackpressured()} turns on until the queue drains below the low-water mark: proxies should
 *       then stop reading from clients ({@code autoRead=false}) so that the store can catch up. Memory is the only
 *       bound, which is why the flag exists ({@link #statementsRelief()} gives a stage that completes when it turns
 *       off).</li>
 *   <li>Captured rows are flow-controlled: each row is weighed (an upper estimate of the heap it holds, see
 *       {@code WriterEvent.Row#weight()}) and counted until it is written. Above
 *       {@link WriterConfig#rowBytesHighWater()}, {@link #rowsRelief()} hands producers a stage that completes once
 *       the waiting rows are below {@link WriterConfig#rowBytesLowWater()}: proxies stop reading result rows from the
 *       server until then, so rows within the per-statement capture caps are not lost because the store is slower
 *       than the server, and memory stays bounded. While the store is failing (batches retried) rows are not held
 *       back that way: a store outage must not stall every result. The last-resort caps remain: beyond
 *       {@link WriterConfig#rowCapacity()} rows or {@link WriterConfig#rowBytesCapacity()} bytes waiting (a single
 *       row heavier than that is taken when no other row waits), a row is dropped, {@link #droppedRows()} grows, a WARN is logged at most once a minute, and the submit method returns
 *       {@code false} so the caller can set the statement's {@code results_truncated}.</li>
 * </ul>
 *
 * <p><b>Store failures</b> never reach submitters. A failed batch is retried with exponential backoff (100 ms to
 * 5 s, WARN logged) while the store is unavailable. When the failure is about the data (SQLSTATE classes 22, 23,
 * 42...), the batch is written one event at a time: an event whose parent row is missing (foreign key, or a close
 * for an unknown connection) is parked and retried as later batches arrive, for up to
 * {@link WriterConfig#parkTimeout()} (one lookup per retry finds the parents that arrived); an event the database
 * rejects for its content is logged at ERROR (SQLSTATE and server message only, never values) and counted in
 * {@link #failed()}, and so are its children (the rows of a rejected statement) without waiting.
 *
 * <p><b>Shutdown:</b> {@link #close()} stops accepting, then drains everything accepted, within
 * {@link WriterConfig#closeTimeout()}.
 *
 * <p>Thread-safe: any thread may submit.
 */
public final class AsyncEventWriter implements AutoCloseable {
    /** The longest a batch holding a session event waits for more events (when {@code linger} is not shorter). */
    static final Duration SESSION_LINGER = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(AsyncEventWriter.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Jdbi jdbi;
    private final WriterConfig config;
    private final ConcurrentLinkedQueue<WriterEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger statementsQueued = new AtomicInteger();
    private final AtomicInteger rowsQueued = new AtomicInteger();
    /** Rows accepted and not yet written (queued, or in the batch being written), and their weight. */
    private final AtomicInteger rowsPending = new AtomicInteger();
    private final AtomicLong rowBytesPending = new AtomicLong();
    private final AtomicLong maxRowBytesPending = new AtomicLong();
    /** Pending while producers of rows should pause; null otherwise. Completed (and cleared) on relief. */
    private final AtomicReference<CompletableFuture<Void>> rowsRelief = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> statementsRelief = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong droppedRows = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong lastDropWarn = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS - 1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean backpressured;
    private volatile boolean idle;
    /** The writer waits for its batch to fill: producers wake it once {@link #lingerWants} events are queued. */
    private volatile boolean lingering;
    private volatile int lingerWants;
    private volatile boolean draining;
    private volatile boolean abandon;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;
    private final BatchWriter batches;

    private AsyncEventWriter(Jdbi jdbi, WriterConfig config) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.config = Objects.requireNonNull(config, "config");
        this.batches = new BatchWriter(jdbi, config, written, failed, this::givingUp, () -> abandon, this::queueDepth,
                this::updateRelief);
        this.thread = new Thread(this::run, "dbbat-store-writer-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
    }

    /** Starts a writer with {@link WriterConfig#defaults()}. */
    public static AsyncEventWriter start(Jdbi jdbi) {
        return start(jdbi, WriterConfig.defaults());
    }

    /** Starts a writer and its thread. */
    public static AsyncEventWriter start(Jdbi jdbi, WriterConfig config) {
        AsyncEventWriter result = new AsyncEventWriter(jdbi, config);
        result.thread.start();
        return result;
    }

    /** Queues a new session. Returns false only after {@link #close()}. */
    public boolean connectionOpened(ConnectionRecord record) {
        return offerStatement(new WriterEvent.Opened(Objects.requireNonNull(record, "record")));
    }

    /** Queues a session's live counters (never lowers stored values). Returns false only after {@link #close()}. */
    public boolean connectionStats(StatsUpdate update) {
        return offerStatement(new WriterEvent.Stats(Objects.requireNonNull(update, "update")));
    }

    /** Queues a session's end. Returns false only after {@link #close()}. */
    public boolean connectionClosed(CloseUpdate update) {
        return offerStatement(new WriterEvent.Closed(Objects.requireNonNull(update, "update")));
    }

    /**
     * Queues a statement that has started, before its first captured row (rows need their statement row). Returns
     * false only after {@link #close()}.
     */
    public boolean queryStarted(QueryRecord record) {
        return offerStatement(new WriterEvent.Started(Objects.requireNonNull(record, "record")));
    }

    /** Queues a finished statement (inserted, or completing a started one). Returns false only after close. */
    public boolean queryCompleted(QueryRecord record) {
        return offerStatement(new WriterEvent.Completed(Objects.requireNonNull(record, "record")));
    }

    /**
     * Queues a finished statement whose record {@code build} makes on the writer thread (the caller's thread only
     * queues it: an event loop reporting statements does not pay for rendering them). {@code build} must not block;
     * it runs once. Returns false only after close.
     */
    public boolean queryCompleted(UUID uid, UUID connectionId, Supplier<QueryRecord> build) {
        return offerStatement(new WriterEvent.Completed(uid, connectionId, build));
    }

    /** Queues a captured row whose JSON is already built. Returns false when the row was dropped. */
    public boolean resultRow(QueryRowRecord record) {
        return offerRow(new WriterEvent.Row(Objects.requireNonNull(record, "record")));
    }

    /**
     * Queues a captured row; its JSON ({@link RowJson}) is built on the writer thread, not the caller's. Returns
     * false when the row was dropped.
     *
     * @param uid the row's UUIDv7
     * @param queryId the statement, already submitted with {@link #queryStarted}
     * @param row the row; its values must not change afterwards
     */
    public boolean resultRow(UUID uid, UUID queryId, ResultRow row) {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(row, "row");
        return offerRow(new WriterEvent.Row(uid, queryId, row));
    }

    private boolean offerStatement(WriterEvent event) {
        inFlight.incrementAndGet();
        try {
            if (closed.get()) {
                rejectAfterClose(event);
                return false;
            }
            queue.add(event);
            accepted.incrementAndGet();
            if (statementsQueued.incrementAndGet() > config.statementHighWater() && !backpressured) {
                backpressured = true;
                LOG.warn("store writer is behind: {} session/statement events queued, back-pressure on",
                        statementsQueued.get());
            }
        } finally {
            inFlight.decrementAndGet();
        }
        wake();
        return true;
    }

    private boolean offerRow(WriterEvent.Row row) {
        inFlight.incrementAndGet();
        long pendingBytes;
        try {
            if (closed.get()) {
                rejectAfterClose(row);
                return false;
            }
            long weight = row.weight();
            int waiting = rowsPending.get();
            // a row heavier than the byte cap on its own is still taken when nothing waits: it is in memory already,
            // and dropping it would lose every row that wide however fast the store is
            if (waiting >= config.rowCapacity()
                    || (waiting > 0 && rowBytesPending.get() + weight > config.rowBytesCapacity())) {
                dropRow();
                return false;
            }
            rowsPending.incrementAndGet();
            pendingBytes = rowBytesPending.addAndGet(weight);
            rowsQueued.incrementAndGet();
            queue.add(row);
            accepted.incrementAndGet();
        } finally {
            inFlight.decrementAndGet();
        }
        if (pendingBytes > maxRowBytesPending.get()) {
            maxRowBytesPending.accumulateAndGet(pendingBytes, Math::max);
        }
        wake();
        return true;
    }

    /**
     * Row back-pressure for producers (proxies capturing result rows). {@code null} while the rows waiting to be
     * written weigh less than {@link WriterConfig#rowBytesHighWater()} (or the store is failing, or the writer is
     * closed); otherwise a stage that completes once they weigh less than {@link WriterConfig#rowBytesLowWater()}
     * (or the store starts failing, or the writer closes). The stage completes on the writer thread, or on a
     * producer's: its callbacks must be short and must not block. Rows offered meanwhile are still accepted, up to
     * the last-resort caps. Any thread; never blocks.
     */
    public CompletionStage<Void> rowsRelief() {
        CompletableFuture<Void> current = rowsRelief.get();
        if (current != null) {
            return current;
        }
        if (rowBytesPending.get() < config.rowBytesHighWater() || storeFailing() || closed.get()) {
            return null;
        }
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        if (!rowsRelief.compareAndSet(null, fresh)) {
            return rowsRelief.get();
        }
        // the writer may have drained below the low-water mark between the check and the publication: it looks
        // for a pending stage only after it lowers the count, so check again now that the stage is visible
        if (rowBytesPending.get() < config.rowBytesLowWater() || storeFailing() || closed.get()) {
            releaseRows();
        }
        return fresh;
    }

    /**
     * Statement back-pressure for producers: {@code null} unless {@link #isBackpressured()}; otherwise a stage that
     * completes when it turns off (or the writer closes). Same threading as {@link #rowsRelief()}.
     */
    public CompletionStage<Void> statementsRelief() {
        CompletableFuture<Void> current = statementsRelief.get();
        if (current != null) {
            return current;
        }
        if (!backpressured || closed.get()) {
            return null;
        }
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        if (!statementsRelief.compareAndSet(null, fresh)) {
            return statementsRelief.get();
        }
        if (!backpressured || closed.get()) {
            releaseStatements();
        }
        return fresh;
    }

    private void releaseRows() {
        CompletableFuture<Void> waiting = rowsRelief.getAndSet(null);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    private void releaseStatements() {
        CompletableFuture<Void> waiting = statementsRelief.getAndSet(null);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** Writer thread: after a batch, and whenever it wakes, releases producers the queues no longer hold back. */
    private void updateRelief() {
        if (rowsRelief.get() != null && (rowBytesPending.get() < config.rowBytesLowWater() || storeFailing()
                || closed.get())) {
            releaseRows();
        }
        if (backpressured && statementsQueued.get() < config.statementLowWater()) {
            backpressured = false;
            LOG.info("store writer caught up: back-pressure off");
        }
        if (statementsRelief.get() != null && (!backpressured || closed.get())) {
            releaseStatements();
        }
    }

    private boolean storeFailing() {
        return batches.failing();
    }

    private void dropRow() {
        long total = droppedRows.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropWarn.get();
        if (now - last > WARN_INTERVAL_NANOS && lastDropWarn.compareAndSet(last, now)) {
            LOG.warn("store writer row queue full ({} rows, ~{} bytes waiting): dropping captured rows ({} so far)",
                    rowsPending.get(), rowBytesPending.get(), total);
        }
    }

    private void rejectAfterClose(WriterEvent event) {
        rejected.incrementAndGet();
        if (event.isRow()) {
            droppedRows.incrementAndGet();
        } else {
            LOG.warn("store writer closed: rejected a {} for {}", event.getClass().getSimpleName(), event.id());
        }
    }

    private void wake() {
        if (idle || (lingering && queueDepth() >= lingerWants)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        List<WriterEvent> batch = new ArrayList<>(config.batchSize());
        while (true) {
            if (abandon) {
                abandonQueue();
                break;
            }
            drainInto(batch);
            if (!batch.isEmpty()) {
                linger(batch);
                boolean hadParents = batch.stream().anyMatch(each -> each.phase() <= 2);
                batches.process(batch);
                rowsDone(batch);
                batch.clear();
                batches.retryParkedIfDue(hadParents);
                continue;
            }
            updateRelief();
            batches.retryParkedIfDue(false);
            if (draining && queue.isEmpty()) {
                break;
            }
            idle = true;
            if (queue.isEmpty() && !draining) {
                LockSupport.parkNanos(this, config.idleWait().toNanos());
            }
            idle = false;
        }
        releaseRows();
        releaseStatements();
        batches.retryParked(true);
        LOG.debug("store writer stopped: {} written, {} dropped rows, {} failed", written.get(), droppedRows.get(),
                failed.get());
    }

    /**
     * Gives a partial batch up to {@link WriterConfig#linger()} to fill, so that a steady trickle of statements is
     * written in a few large transactions rather than one small transaction each (that costs the writer and the store
     * several times more per statement). A batch holding a session event waits at most {@link #SESSION_LINGER}: the
     * open sessions listed by the API lag by that much at most, and a short session (a login, a statement, a
     * disconnect) is often written whole, in one INSERT, instead of an INSERT and an UPDATE. Returns at once while
     * draining for close.
     */
    private void linger(List<WriterEvent> batch) {
        long lingerNanos = config.linger().toNanos();
        if (!onlyStatements(batch)) {
            lingerNanos = Math.min(lingerNanos, SESSION_LINGER.toNanos());
        }
        if (lingerNanos <= 0 || batch.size() >= config.batchSize() || draining
                || rowBytesOf(batch) >= rowBatchBudget()) {
            return;
        }
        long deadline = System.nanoTime() + lingerNanos;
        lingerWants = config.batchSize() - batch.size();
        lingering = true;
        try {
            while (!draining && !abandon && queueDepth() < lingerWants) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            lingering = false;
        }
        drainInto(batch);
    }

    /** Whether a batch holds only statements and rows (no session open, stats or close). */
    private static boolean onlyStatements(List<WriterEvent> batch) {
        for (WriterEvent each : batch) {
            if (!(each instanceof WriterEvent.Completed || each instanceof WriterEvent.Started || each.isRow())) {
                return false;
            }
        }
        return true;
    }

    /** The rows of a processed batch (written, parked or given up) no longer wait: producers may resume. */
    private void rowsDone(List<WriterEvent> batch) {
        int rows = 0;
        long bytes = 0;
        for (WriterEvent each : batch) {
            if (each instanceof WriterEvent.Row row) {
                rows++;
                bytes += row.weight();
            }
        }
        if (rows > 0) {
            rowsPending.addAndGet(-rows);
            rowBytesPending.addAndGet(-bytes);
        }
        updateRelief();
    }

    private void abandonQueue() {
        int lost = queueDepth();
        queue.clear();
        statementsQueued.set(0);
        rowsQueued.set(0);
        rowsPending.set(0);
        rowBytesPending.set(0);
        releaseRows();
        releaseStatements();
        failed.addAndGet(lost);
        if (lost > 0) {
            LOG.error("store writer abandoned {} queued events at shutdown: they are not recorded", lost);
        }
    }

    /**
     * Moves queued events into {@code batch}, up to {@link WriterConfig#batchSize()} events and, for rows, a quarter
     * of the row high-water mark of weight (a batch's rows and their COPY stay in memory while it is written).
     */
    private void drainInto(List<WriterEvent> batch) {
        long rowBudget = rowBatchBudget();
        long rowBytes = rowBytesOf(batch);
        while (batch.size() < config.batchSize() && rowBytes < rowBudget) {
            WriterEvent event = queue.poll();
            if (event == null) {
                break;
            }
            if (event instanceof WriterEvent.Row row) {
                rowsQueued.decrementAndGet();
                rowBytes += row.weight();
            } else {
                statementsQueued.decrementAndGet();
            }
            batch.add(event);
        }
        updateRelief();
    }

    private long rowBatchBudget() {
        return Math.max(1, config.rowBytesHighWater() / 4);
    }

    private static long rowBytesOf(List<WriterEvent> batch) {
        long result = 0;
        for (WriterEvent each : batch) {
            if (each instanceof WriterEvent.Row row) {
                result += row.weight();
            }
        }
        return result;
    }

    private boolean givingUp() {
        return abandon || (draining && System.nanoTime() > drainDeadlineNanos);
    }

    /** Events accepted since start. */
    public long accepted() {
        return accepted.get();
    }

    /** Events written to the store. */
    public long written() {
        return written.get();
    }

    /** Captured rows dropped because the row queue was full (or submitted after close). */
    public long droppedRows() {
        return droppedRows.get();
    }

    /** Accepted events that could not be recorded (rejected by the database, or parent never arrived). */
    public long failed() {
        return failed.get();
    }

    /** Submissions refused because the writer was closed. */
    public long rejectedAfterClose() {
        return rejected.get();
    }

    /** Events waiting to be written (session/statement events plus rows). */
    public int queueDepth() {
        return statementsQueued.get() + rowsQueued.get();
    }

    /** Captured rows waiting to be written (queued, or in the batch being written). */
    public int rowQueueDepth() {
        return rowsPending.get();
    }

    /** Estimated heap bytes of the captured rows waiting to be written ({@link WriterConfig#rowBytesHighWater()}). */
    public long rowBytesWaiting() {
        return rowBytesPending.get();
    }

    /** The largest {@link #rowBytesWaiting()} seen since start. */
    public long maxRowBytesWaiting() {
        return maxRowBytesPending.get();
    }

    /** Events waiting for a missing parent row. */
    public int parked() {
        return batches.parkedCount();
    }

    /**
     * Whether the session/statement queue is above its high-water mark (and has not yet drained below the low-water
     * mark). Proxies should stop reading from clients while it is on; records are still accepted.
     */
    public boolean isBackpressured() {
        return backpressured;
    }

    /** Stops accepting and drains within {@link WriterConfig#closeTimeout()}. */
    @Override
    public void close() {
        close(config.closeTimeout());
    }

    /**
     * Stops accepting, then waits up to {@code timeout} for every accepted event to be written.
     *
     * @return whether everything was drained in time
     */
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        closed.set(true);
        while (inFlight.get() > 0) {
            Thread.onSpinWait();
        }
        releaseRows(); // nothing more is accepted: paused producers must not wait for the drain
        releaseStatements();
        drainDeadlineNanos = System.nanoTime() + timeout.toNanos();
        draining = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            if (thread.isAlive()) {
                LOG.warn("store writer did not drain within {} ms: {} events still queued", timeout.toMillis(),
                        queueDepth());
                abandon = true;
                LockSupport.unpark(thread);
                thread.join(TimeUnit.SECONDS.toMillis(5));
                return false;
            }
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            abandon = true;
            return false;
        }
    }

    @Override
    public String toString() {
        return "AsyncEventWriter[queued=" + queueDepth() + ", written=" + written.get() + ", droppedRows="
                + droppedRows.get() + ", failed=" + failed.get() + "]";
    }
}
