package dev.dbbat.store;

import dev.dbbat.core.UuidV7;
import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.QueryParameters;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.event.SessionStats;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.core.spi.SessionInterceptor;
import dev.dbbat.store.ConnectionRepository.CloseUpdate;
import dev.dbbat.store.ConnectionRepository.StatsUpdate;
import dev.dbbat.store.internal.Text;
import dev.dbbat.store.writer.AsyncEventWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records proxied sessions in the store through the {@link AsyncEventWriter} (behaviour §5.5): a {@code connections}
 * row at connect, a {@code queries} row per completed (or refused) statement, a {@code query_rows} row per captured
 * row, and the final counters at close. Live counters of open sessions ({@code queries}, {@code bytes_transferred},
 * {@code last_activity_at}) are flushed every few seconds by a {@code dbbat-stats-flush} daemon thread, so quota
 * usage read from the store stays current for long sessions.
 *
 * <p>Never blocks and never does I/O on the caller's thread: {@link #onConnect} completes at once with PROCEED;
 * row JSON is built on the writer thread. A statement with captured rows is written as "started" before its first row
 * and completed afterwards. The writer's queues push back through {@link #rowBackpressure} and
 * {@link #statementBackpressure}; if the writer still drops rows of a statement (last-resort caps, store failing),
 * the statement is marked {@code results_truncated}.
 *
 * <p>Thread-safe. {@link #close()} stops the flush thread (close the writer afterwards).
 */
public final class RecordingInterceptor implements SessionInterceptor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingInterceptor.class);
    /** Default interval of the live stats flush. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);
    /** The values the schema accepts; anything else is left out rather than losing the statement record. */
    private static final Set<String> COPY_FORMATS = Set.of("text", "csv", "binary");
    private static final Set<String> COPY_DIRECTIONS = Set.of("in", "out");
    private static final long ORPHAN_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final BigDecimal MAX_DURATION_MS = new BigDecimal("999999999.999");

    private final AsyncEventWriter writer;
    private final Map<UUID, Recorded> sessions = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor flusher;

    /** Records through {@code writer}, flushing live stats every {@link #DEFAULT_FLUSH_INTERVAL}. */
    public RecordingInterceptor(AsyncEventWriter writer) {
        this(writer, DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * @param writer the store writer
     * @param flushInterval how often live counters of open sessions are written; zero disables the flush thread
     */
    public RecordingInterceptor(AsyncEventWriter writer, Duration flushInterval) {
        this.writer = Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            this.flusher = null;
        } else {
            this.flusher = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread result = new Thread(runnable, "dbbat-stats-flush");
                result.setDaemon(true);
                return result;
            });
            flusher.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            long millis = flushInterval.toMillis();
            flusher.scheduleWithFixedDelay(this::flushStatsSafely, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public CompletionStage<Decision> onConnect(SessionInfo session) {
        Recorded recorded = new Recorded(session);
        if (sessions.putIfAbsent(session.connectionId(), recorded) == null) {
            writer.connectionOpened(ConnectionRecord.opened(session.connectionId(), session.identity().userId(),
                    session.target().databaseId(), Optional.of(session.grant().grantId()), session.protocol().id(),
                    sourceIp(session.clientAddress()), session.connectedAt()));
        }
        return CompletableFuture.completedFuture(Decision.proceed());
    }

    @Override
    public void onResultRow(SessionInfo session, QueryEvent query, ResultRow row) {
        Recorded recorded = sessions.get(session.connectionId());
        if (recorded == null) {
            return;
        }
        if (recorded.started.add(query.queryId())) {
            writer.queryStarted(QueryRecord.started(query.queryId(), session.connectionId(), query.sql(),
                    query.parameters().map(RecordingInterceptor::parameters), query.receivedAt()));
        }
        if (!writer.resultRow(UuidV7.next(), query.queryId(), row)) {
            recorded.truncated.add(query.queryId());
        }
    }

    /**
     * Rows wait in the writer's queue until the store has them: above its high-water mark the proxy stops reading
     * result rows from the server until the queue drains (see {@link AsyncEventWriter#rowsRelief()}), so captured
     * rows are not dropped because the store is slower than the server.
     */
    @Override
    public CompletionStage<?> rowBackpressure(SessionInfo session) {
        return writer.rowsRelief();
    }

    /** While the writer's statement queue is over its high-water mark the proxy stops reading clients. */
    @Override
    public CompletionStage<?> statementBackpressure(SessionInfo session) {
        return writer.statementsRelief();
    }

    @Override
    public void onQueryComplete(SessionInfo session, QueryEvent query, QueryOutcome outcome) {
        Recorded recorded = sessions.get(session.connectionId());
        if (recorded == null) {
            LOG.debug("[{}] statement completed on an unrecorded session: not logged", session.sessionId());
            return;
        }
        if (!recorded.started.isEmpty()) {
            recorded.started.remove(query.queryId());
        }
        boolean dropped = !recorded.truncated.isEmpty() && recorded.truncated.remove(query.queryId());
        UUID connectionId = session.connectionId();
        // the record (parameters rendered, JSON map, duration) is built on the writer thread, off the event loop
        writer.queryCompleted(query.queryId(), connectionId, () -> completed(connectionId, query, outcome, dropped));
        recorded.loggedQueries.incrementAndGet();
    }

    /** The {@code queries} row of a finished statement. Parameters that cannot be rendered are left out. */
    static QueryRecord completed(UUID connectionId, QueryEvent query, QueryOutcome outcome, boolean dropped) {
        Optional<Map<String, Object>> parameters;
        try {
            parameters = query.parameters().map(RecordingInterceptor::parameters);
        } catch (RuntimeException ex) {
            LOG.warn("statement {}: parameters could not be rendered ({}): recorded without them", query.queryId(),
                    ex.getClass().getSimpleName());
            parameters = Optional.empty();
        }
        return new QueryRecord(query.queryId(), connectionId, query.sql(), parameters, query.receivedAt(),
                Optional.of(durationMs(outcome.durationNanos())),
                outcome.rowsAffected().isPresent() ? Optional.of(outcome.rowsAffected().getAsLong()) : Optional.empty(),
                outcome.error().map(Text::clean), outcome.sqlState(), outcome.refused(), outcome.bytes(),
                outcome.copy().map(copy -> copy.format().toLowerCase(Locale.ROOT)).filter(COPY_FORMATS::contains),
                outcome.copy().map(copy -> copy.direction().toLowerCase(Locale.ROOT)).filter(COPY_DIRECTIONS::contains),
                outcome.resultsTruncated() || dropped);
    }

    @Override
    public void onClose(SessionInfo session, CloseReason reason) {
        Recorded recorded = sessions.remove(session.connectionId());
        if (recorded == null) {
            return;
        }
        SessionStats stats = session.stats();
        writer.connectionClosed(new CloseUpdate(session.connectionId(), Instant.now(), closeReason(reason),
                Math.max(stats.queries(), recorded.loggedQueries.get()), stats.bytesTransferred()));
    }

    /**
     * Writes the live counters of every open session whose counters changed since the last flush. A session whose
     * handle has been closed for over a minute without {@link #onClose} is closed in the store (reason
     * {@code error: closed without close callback}) and forgotten, so a protocol bug cannot leak memory here.
     */
    public void flushStats() {
        long now = System.nanoTime();
        for (Recorded each : sessions.values()) {
            if (!each.session.handle().isOpen()) {
                if (each.closedSeenNanos == 0) {
                    each.closedSeenNanos = now;
                } else if (now - each.closedSeenNanos > ORPHAN_NANOS) {
                    LOG.warn("[{}] session ended without a close callback: closing its record",
                            each.session.sessionId());
                    onClose(each.session, CloseReason.of(CloseReason.Kind.ERROR, "closed without close callback"));
                    continue;
                }
            }
            SessionStats stats = each.session.stats();
            long queries = Math.max(stats.queries(), each.loggedQueries.get());
            long bytes = stats.bytesTransferred();
            if (queries == each.flushedQueries && bytes == each.flushedBytes) {
                continue;
            }
            each.flushedQueries = queries;
            each.flushedBytes = bytes;
            writer.connectionStats(new StatsUpdate(each.session.connectionId(), queries, bytes,
                    lastActivity(each.session)));
        }
    }

    private void flushStatsSafely() {
        try {
            flushStats();
        } catch (RuntimeException ex) {
            LOG.warn("live stats flush failed: {}", ex.toString());
        }
    }

    /** Sessions seen at connect and not yet closed. */
    public int openSessions() {
        return sessions.size();
    }

    /** Stops the stats flush thread. Sessions still open are not closed in the store. */
    @Override
    public void close() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
    }

    /** {@code queries.parameters}: {@code values} always, the other lists only when not empty. */
    static Map<String, Object> parameters(QueryParameters parameters) {
        List<String> values = parameters.values();
        for (int i = 0, n = values.size(); i < n; i++) {
            if (Text.clean(values.get(i)) != values.get(i)) {
                List<String> cleaned = new ArrayList<>(n);
                values.forEach(each -> cleaned.add(Text.clean(each)));
                values = Collections.unmodifiableList(cleaned);
                break;
            }
        }
        ParametersMap.Builder result = new ParametersMap.Builder(4).put("values", values);
        if (!parameters.raw().isEmpty()) {
            result.put("raw", parameters.raw());
        }
        if (!parameters.formatCodes().isEmpty()) {
            result.put("format_codes", parameters.formatCodes());
        }
        if (!parameters.typeOids().isEmpty()) {
            result.put("type_oids", parameters.typeOids());
        }
        return result.build();
    }

    /** Milliseconds with µs precision, within {@code NUMERIC(12,3)}. */
    static BigDecimal durationMs(long nanos) {
        BigDecimal result = BigDecimal.valueOf(Math.max(0, nanos)).movePointLeft(6).setScale(3, RoundingMode.HALF_UP);
        return result.compareTo(MAX_DURATION_MS) > 0 ? MAX_DURATION_MS : result;
    }

    /** {@code client_closed}, or {@code terminated: grant revoked} when there is a detail. */
    static String closeReason(CloseReason reason) {
        String kind = reason.kind().name().toLowerCase(Locale.ROOT);
        return Text.clean(reason.detail().isBlank() ? kind : kind + ": " + reason.detail());
    }

    /** The client's IP without port or IPv6 zone; {@code 0.0.0.0} when the address is not an IP literal. */
    static String sourceIp(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String text = ip != null ? ip.getHostAddress() : address.getHostString();
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return "0.0.0.0";
        }
        return text;
    }

    private static Instant lastActivity(SessionInfo session) {
        long idleNanos = Math.max(0, System.nanoTime() - session.stats().lastActivityNanos());
        Instant result = Instant.now().minusNanos(idleNanos);
        return result.isBefore(session.connectedAt()) ? session.connectedAt() : result;
    }

    /** Per-session recording state. */
    private static final class Recorded {
        final SessionInfo session;
        final AtomicLong loggedQueries = new AtomicLong();
        /** Statements whose "started" record was submitted and that have not completed yet. */
        final Set<UUID> started = ConcurrentHashMap.newKeySet();
        /** Statements that lost rows to a full writer queue. */
        final Set<UUID> truncated = ConcurrentHashMap.newKeySet();
        volatile long flushedQueries;
        volatile long flushedBytes;
        /** {@link System#nanoTime()} when the flush first saw the handle closed, 0 while open. */
        volatile long closedSeenNanos;

        Recorded(SessionInfo session) {
            this.session = session;
        }
    }
}
