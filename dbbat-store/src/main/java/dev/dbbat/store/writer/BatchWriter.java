package dev.dbbat.store.writer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import dev.dbbat.store.internal.CopyBinary;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread's side of the {@link AsyncEventWriter}: writes batches with retries, falls back to one event at a
 * time on data errors, and parks events whose parent row is missing until it exists. Confined to the writer thread,
 * except {@link #parkedCount()}.
 */
final class BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncEventWriter.class);
    private static final long PARK_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long PARK_RETRY_AFTER_PARENTS_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long FAILURE_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final int LOST_IDS_REMEMBERED = 10_000;
    private static final int COPY_BUFFER_BYTES = 512 * 1024;
    private static final int KEEP_COPY_BUFFER_BYTES = 4 << 20;
    private static final String GRANT_CONSTRAINT = "connections_grant_id_fkey";

    private final Jdbi jdbi;
    private final WriterConfig config;
    private final AtomicLong written;
    private final AtomicLong failed;
    private final BooleanSupplier givingUp;
    private final BooleanSupplier abandoned;
    private final IntSupplier queueDepth;
    /** Called (writer thread) when writes start failing: the writer then stops holding row producers back. */
    private final Runnable failureStarted;
    /** Whether the last write attempt failed for a reason retrying may fix (store unavailable). */
    private volatile boolean failing;
    private final List<Parked> parked = new ArrayList<>();
    /** Recent ids of records given up, so that their children are given up at once instead of parked. */
    private final Set<UUID> lost = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > LOST_IDS_REMEMBERED;
        }
    });
    /**
     * Statements whose "started" row was written and whose completion was not written yet: their completion must
     * update that row (upsert). Every other completion can be inserted with COPY. Writer thread only.
     */
    private final Set<UUID> startedRows = new HashSet<>();
    private volatile int parkedCount;
    /** Where statement records are rendered for COPY, reused from batch to batch (writer thread only). */
    private CopyBinary copyBuffer;
    private long lastParkRetryNanos = System.nanoTime();
    private long lastFailureWarnNanos = System.nanoTime() - FAILURE_WARN_INTERVAL_NANOS - 1;

    BatchWriter(Jdbi jdbi, WriterConfig config, AtomicLong written, AtomicLong failed, BooleanSupplier givingUp,
            BooleanSupplier abandoned, IntSupplier queueDepth, Runnable failureStarted) {
        this.jdbi = jdbi;
        this.config = config;
        this.written = written;
        this.failed = failed;
        this.givingUp = givingUp;
        this.abandoned = abandoned;
        this.queueDepth = queueDepth;
        this.failureStarted = failureStarted;
    }

    /** The COPY buffer, replaced when a huge record grew it past {@link #KEEP_COPY_BUFFER_BYTES}. */
    private CopyBinary copyBuffer() {
        if (copyBuffer == null || copyBuffer.capacity() > KEEP_COPY_BUFFER_BYTES) {
            copyBuffer = new CopyBinary(COPY_BUFFER_BYTES);
        }
        return copyBuffer;
    }

    /** Whether the store is failing: the last write was retried and has not succeeded yet. Any thread. */
    boolean failing() {
        return failing;
    }

    private void succeeded() {
        failing = false;
    }

    private void failedTransiently() {
        if (!failing) {
            failing = true;
            failureStarted.run();
        }
    }

    /** Events waiting for a missing parent row (any thread). */
    int parkedCount() {
        return parkedCount;
    }

    /** Retries parked events: soon after a batch that wrote parents, else about once a second. */
    void retryParkedIfDue(boolean wroteParents) {
        if (parked.isEmpty()) {
            return;
        }
        long since = System.nanoTime() - lastParkRetryNanos;
        if (since > PARK_RETRY_NANOS || (wroteParents && since > PARK_RETRY_AFTER_PARENTS_NANOS)) {
            retryParked(false);
        }
    }

    /** Writes a batch, retrying while the store is unavailable; falls back to one event at a time on data errors. */
    void process(List<WriterEvent> batch) {
        batch = withoutChildrenOfLost(batch);
        if (batch.isEmpty()) {
            return;
        }
        long backoff = 100;
        while (true) {
            try {
                // without captured rows no statement has a "started" row: skip hashing every uid
                List<WriterEvent> missing = EventBatches.write(jdbi, batch,
                        uid -> startedRows.isEmpty() || !startedRows.contains(uid),
                        copyBuffer());
                succeeded();
                trackStartedRows(batch);
                written.addAndGet(batch.size() - missing.size());
                long now = System.nanoTime();
                missing.forEach(each -> park(new Parked(each, now)));
                return;
            } catch (RuntimeException ex) {
                if (EventBatches.isPermanent(ex)) {
                    List<Parked> single = new ArrayList<>(batch.size());
                    long now = System.nanoTime();
                    EventBatches.inPhaseOrder(batch).forEach(each -> single.add(new Parked(each, now)));
                    writeOneByOne(single);
                    return;
                }
                if (givingUp.getAsBoolean()) {
                    giveUp(batch.size(), ex);
                    return;
                }
                failedTransiently();
                warnFailure(batch.size(), backoff, ex);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /**
     * The log tables have no foreign keys (V2): the writer itself keeps a record whose parent was given up (e.g. the
     * rows of a statement the store rejected) out of the store, and gives it up too.
     */
    private List<WriterEvent> withoutChildrenOfLost(List<WriterEvent> batch) {
        if (lost.isEmpty()) {
            return batch;
        }
        List<WriterEvent> result = new ArrayList<>(batch.size());
        for (WriterEvent each : batch) {
            if (lost.contains(each.parentId())) {
                giveUpParked(new Parked(each, System.nanoTime()));
            } else {
                result.add(each);
            }
        }
        return result;
    }

    /** After a batch was written: remember its statements written as started, forget those completed. */
    private void trackStartedRows(List<WriterEvent> batch) {
        for (WriterEvent each : batch) {
            if (each instanceof WriterEvent.Started started) {
                startedRows.add(started.record().uid());
            }
        }
        if (startedRows.isEmpty()) {
            return;
        }
        for (WriterEvent each : batch) {
            if (each instanceof WriterEvent.Completed completed) {
                startedRows.remove(completed.id());
            }
        }
    }

    private void writeOneByOne(List<Parked> events) {
        for (Parked each : events) {
            writeOne(each);
        }
    }

    /** Writes one event in its own transaction: written, parked, given up, or retried while the store is down. */
    private void writeOne(Parked event) {
        if (lost.contains(event.event().parentId())) {
            giveUpParked(event);
            return;
        }
        Parked current = event;
        long backoff = 100;
        while (true) {
            try {
                List<WriterEvent> missing = EventBatches.write(jdbi, List.of(current.event()));
                succeeded();
                trackStartedRows(List.of(current.event()));
                if (missing.isEmpty()) {
                    written.incrementAndGet();
                } else {
                    park(current);
                }
                return;
            } catch (RuntimeException ex) {
                if (EventBatches.FOREIGN_KEY_VIOLATION.equals(EventBatches.sqlState(ex))) {
                    Parked withoutGrant = withoutUnknownGrant(current, ex);
                    if (withoutGrant != null) {
                        current = withoutGrant;
                        continue;
                    }
                    parkOrGiveUp(current);
                    return;
                }
                if (EventBatches.isPermanent(ex)) {
                    failed.incrementAndGet();
                    lost.add(current.event().id());
                    LOG.error("store rejected a {} for {}: it is not recorded ({})",
                            current.event().getClass().getSimpleName(), current.event().id(),
                            EventBatches.describe(ex));
                    return;
                }
                if (givingUp.getAsBoolean()) {
                    giveUp(1, ex);
                    return;
                }
                failedTransiently();
                warnFailure(1, backoff, ex);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** A session naming a grant that is not in the store is better recorded without it than not at all. */
    private static Parked withoutUnknownGrant(Parked event, RuntimeException ex) {
        if (event.event() instanceof WriterEvent.Opened opened && opened.record().grantId().isPresent()
                && GRANT_CONSTRAINT.equals(EventBatches.constraint(ex))) {
            LOG.warn("session {} names grant {} which is not in the store: recorded without it",
                    opened.record().uid(), opened.record().grantId().get());
            return new Parked(new WriterEvent.Opened(opened.record().withoutGrant()), event.since());
        }
        return null;
    }

    private void parkOrGiveUp(Parked event) {
        if (lost.contains(event.event().parentId())) {
            giveUpParked(event);
        } else {
            park(event);
        }
    }

    private void park(Parked event) {
        parked.add(event);
        parkedCount = parked.size();
    }

    /**
     * Retries parked events whose parent row now exists (one query finds them); gives up those parked too long, those
     * whose parent was given up, and all of them when final.
     */
    void retryParked(boolean finalAttempt) {
        lastParkRetryNanos = System.nanoTime();
        if (parked.isEmpty()) {
            return;
        }
        List<Parked> retry = new ArrayList<>(parked);
        parked.clear();
        long now = System.nanoTime();
        Set<UUID> wanted = new HashSet<>();
        List<Parked> live = new ArrayList<>(retry.size());
        for (Parked each : retry) {
            if (now - each.since() > config.parkTimeout().toNanos() || lost.contains(each.event().parentId())) {
                giveUpParked(each);
            } else {
                live.add(each);
                wanted.add(each.event().parentId());
            }
        }
        Set<UUID> existing;
        try {
            existing = wanted.isEmpty() ? Set.of() : EventBatches.existingParents(jdbi, wanted);
        } catch (RuntimeException ex) {
            LOG.debug("parked events: parent lookup failed: {}", EventBatches.describe(ex));
            existing = Set.of();
        }
        List<Parked> ready = new ArrayList<>();
        for (Parked each : live) {
            if (existing.contains(each.event().parentId())) {
                ready.add(each);
            } else {
                park(each);
            }
        }
        ready.sort((left, right) -> Integer.compare(left.event().phase(), right.event().phase()));
        writeOneByOne(ready);
        if (finalAttempt && !parked.isEmpty()) {
            LOG.error("store writer stopped with {} events whose parent row never arrived: they are not recorded",
                    parked.size());
            failed.addAndGet(parked.size());
            parked.clear();
        }
        parkedCount = parked.size();
    }

    private void giveUpParked(Parked event) {
        failed.incrementAndGet();
        lost.add(event.event().id());
        LOG.error("store writer gave up a {} for {}: its parent row is missing",
                event.event().getClass().getSimpleName(), event.event().id());
    }

    private void giveUp(int count, RuntimeException ex) {
        failed.addAndGet(count);
        LOG.error("store writer shutting down with the store unavailable: {} events are not recorded ({})", count,
                EventBatches.describe(ex));
    }

    private void warnFailure(int count, long backoff, RuntimeException ex) {
        long now = System.nanoTime();
        if (now - lastFailureWarnNanos > FAILURE_WARN_INTERVAL_NANOS) {
            lastFailureWarnNanos = now;
            LOG.warn("store write of {} events failed, retrying in {} ms ({} queued): {}", count, backoff,
                    queueDepth.getAsInt(), EventBatches.describe(ex));
        }
    }

    private void sleep(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!abandoned.getAsBoolean() && System.nanoTime() < until) {
            LockSupport.parkNanos(this, Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    private record Parked(WriterEvent event, long since) {}
}
