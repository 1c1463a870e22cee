package dev.dbbat.protocol.pg.it;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.core.spi.SessionInterceptor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Records every callback; decisions can be scripted. Thread-safe. */
final class RecordingInterceptor implements SessionInterceptor {
    record Completed(QueryEvent query, QueryOutcome outcome) {}

    record Row(QueryEvent query, ResultRow row) {}

    final List<SessionInfo> connects = new CopyOnWriteArrayList<>();
    final List<QueryEvent> queries = new CopyOnWriteArrayList<>();
    final List<Completed> completed = new CopyOnWriteArrayList<>();
    final List<Row> rows = new CopyOnWriteArrayList<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    /** Never reset: session id → onConnect / onClose calls, to check "onClose exactly once". */
    final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> connectCalls =
            new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> closeCalls =
            new java.util.concurrent.ConcurrentHashMap<>();
    volatile Function<SessionInfo, Decision> onConnect = session -> Decision.proceed();
    volatile Function<QueryEvent, Decision> onQuery = query -> Decision.proceed();
    volatile BiFunction<SessionInfo, Long, Decision> onBytes = (session, bytes) -> Decision.proceed();
    volatile Function<SessionInfo, CompletionStage<?>> rowBackpressure = session -> null;
    volatile Function<SessionInfo, CompletionStage<?>> statementBackpressure = session -> null;
    /** Rows seen by onResultRow (kept in {@link #rows} only while {@link #keepRows}). */
    final java.util.concurrent.atomic.AtomicLong rowCount = new java.util.concurrent.atomic.AtomicLong();
    volatile boolean keepRows = true;

    void reset() {
        connects.clear();
        queries.clear();
        completed.clear();
        rows.clear();
        closes.clear();
        onConnect = session -> Decision.proceed();
        onQuery = query -> Decision.proceed();
        onBytes = (session, bytes) -> Decision.proceed();
        rowBackpressure = session -> null;
        statementBackpressure = session -> null;
        rowCount.set(0);
        keepRows = true;
    }

    @Override
    public CompletionStage<Decision> onConnect(SessionInfo session) {
        connects.add(session);
        connectCalls.computeIfAbsent(session.sessionId(), id -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
        return CompletableFuture.supplyAsync(() -> onConnect.apply(session));
    }

    @Override
    public Decision onQuery(SessionInfo session, QueryEvent query) {
        queries.add(query);
        return onQuery.apply(query);
    }

    @Override
    public Decision onBytes(SessionInfo session, long bytes) {
        return onBytes.apply(session, bytes);
    }

    @Override
    public void onResultRow(SessionInfo session, QueryEvent query, ResultRow row) {
        rowCount.incrementAndGet();
        if (keepRows) {
            rows.add(new Row(query, row));
        }
    }

    @Override
    public CompletionStage<?> rowBackpressure(SessionInfo session) {
        return rowBackpressure.apply(session);
    }

    @Override
    public CompletionStage<?> statementBackpressure(SessionInfo session) {
        return statementBackpressure.apply(session);
    }

    @Override
    public void onQueryComplete(SessionInfo session, QueryEvent query, QueryOutcome outcome) {
        completed.add(new Completed(query, outcome));
    }

    @Override
    public void onClose(SessionInfo session, CloseReason reason) {
        closes.add(reason);
        closeCalls.computeIfAbsent(session.sessionId(), id -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
    }

    /** Every session that reached onConnect got exactly one onClose (call after the server closed). */
    void assertEachSessionClosedOnce() throws InterruptedException {
        ProxyBasicsIT.waitFor(() -> closeCalls.keySet().containsAll(connectCalls.keySet()));
        connectCalls.forEach((id, count) -> {
            if (count.get() != 1 || closeCalls.get(id).get() != 1) {
                throw new AssertionError(id + ": onConnect " + count + ", onClose " + closeCalls.get(id));
            }
        });
        if (!connectCalls.keySet().containsAll(closeCalls.keySet())) {
            throw new AssertionError("onClose without onConnect: " + closeCalls.keySet());
        }
    }

    /** The completed outcome of the first statement whose SQL contains {@code fragment}. */
    Completed completedFor(String fragment) {
        return completed.stream().filter(each -> each.query().sql().contains(fragment)).findFirst()
                .orElseThrow(() -> new AssertionError("no completed statement with " + fragment + " in "
                        + completed.stream().map(each -> each.query().sql()).toList()));
    }
}
