package dev.dbbat.server.policy;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.core.spi.SessionInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces grants on live sessions, across sessions and protocols (behaviour.md §5.3, with the [later]/[rec]
 * fixes):
 *
 * <ul>
 *   <li><b>Quotas.</b> One in-memory counter pair per grant, shared by every session under that grant, seeded from
 *       the usage the resolver computed at connect ({@link GrantInfo#queriesUsed()}, {@link GrantInfo#bytesUsed()}).
 *       Every statement counts when it arrives; a statement arriving at or over {@code max_query_counts} is denied
 *       with "query limit exceeded". Every byte crossing a client socket counts ({@link #onBytes}); a statement
 *       arriving at or over {@code max_bytes_transferred} is denied with "data transfer limit exceeded", and a
 *       result that crosses the byte quota is cut once with the same message.
 *   <li><b>Revocation and expiry.</b> A scheduler thread ({@code dbbat-grant-watch}) re-reads the grants of live
 *       sessions every {@code checkInterval} and terminates sessions whose grant was revoked ("access grant
 *       revoked") or has expired ("access grant expired"); statements also check expiry against the local clock.
 * </ul>
 *
 * <p>Thread-safe. Hooks only touch memory; the store is read on the scheduler thread only.
 */
public final class GrantPolicyInterceptor implements SessionInterceptor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrantPolicyInterceptor.class);
    static final String REVOKED = "access grant revoked";
    static final String EXPIRED = "access grant expired";
    static final String QUERY_LIMIT = "query limit exceeded";
    static final String BYTE_LIMIT = "data transfer limit exceeded";
    private static final long IDLE_USAGE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final GrantStatusSource source;
    private final Duration checkInterval;
    private final Clock clock;
    private final Map<UUID, GrantUsage> usages = new ConcurrentHashMap<>();
    private final Map<UUID, LiveSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private volatile long lastFailureLogNanos;

    /**
     * @param source reads grants from the store (on the scheduler thread)
     * @param checkInterval how often live sessions' grants are re-read (1-2 s keeps terminations within 5 s)
     * @param clock for expiry checks on statements
     */
    public GrantPolicyInterceptor(GrantStatusSource source, Duration checkInterval, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dbbat-grant-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the periodic grant check. */
    public void start() {
        long millis = checkInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::checkGrants, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<Decision> onConnect(SessionInfo session) {
        GrantInfo grant = session.grant();
        GrantUsage usage = usages.compute(grant.grantId(), (id, existing) -> {
            GrantUsage result = existing == null ? new GrantUsage(grant) : existing;
            result.seed(grant);
            result.liveSessions.incrementAndGet();
            return result;
        });
        sessions.put(session.connectionId(), new LiveSession(session, usage));
        Decision decision = usage.endedReason != null
                ? Decision.deny(Decision.INSUFFICIENT_PRIVILEGE, usage.endedReason)
                : quotaDecision(usage, usage.queries.get());
        return CompletableFuture.completedFuture(decision);
    }

    @Override
    public Decision onQuery(SessionInfo session, QueryEvent query) {
        LiveSession live = sessions.get(session.connectionId());
        if (live == null) {
            return Decision.proceed();
        }
        GrantUsage usage = live.usage;
        live.inStatement = false;
        String ended = usage.endedReason;
        if (ended == null && !clock.instant().isBefore(session.grant().expiresAt())) {
            ended = EXPIRED;
        }
        if (ended != null) {
            return Decision.terminate(Decision.INSUFFICIENT_PRIVILEGE, ended);
        }
        long queriesBefore = usage.queries.getAndIncrement();
        Decision decision = quotaDecision(usage, queriesBefore);
        if (decision.proceeds()) {
            live.inStatement = true;
            live.cut = false;
        }
        return decision;
    }

    /** Quota check for a statement that has {@code queriesBefore} statements before it in the grant's window. */
    private static Decision quotaDecision(GrantUsage usage, long queriesBefore) {
        OptionalLong maxQueries = usage.maxQueries;
        if (maxQueries.isPresent() && queriesBefore >= maxQueries.getAsLong()) {
            return Decision.deny(Decision.LIMIT_EXCEEDED, QUERY_LIMIT);
        }
        OptionalLong maxBytes = usage.maxBytes;
        if (maxBytes.isPresent() && usage.bytes.get() >= maxBytes.getAsLong()) {
            return Decision.deny(Decision.LIMIT_EXCEEDED, BYTE_LIMIT);
        }
        return Decision.proceed();
    }

    @Override
    public Decision onBytes(SessionInfo session, long bytes) {
        LiveSession live = sessions.get(session.connectionId());
        if (live == null) {
            return Decision.proceed();
        }
        GrantUsage usage = live.usage;
        long total = usage.bytes.addAndGet(bytes);
        usage.touch();
        OptionalLong maxBytes = usage.maxBytes;
        if (maxBytes.isPresent() && total > maxBytes.getAsLong() && live.inStatement && !live.cut) {
            live.cut = true;
            return Decision.deny(Decision.LIMIT_EXCEEDED, BYTE_LIMIT);
        }
        return Decision.proceed();
    }

    @Override
    public void onQueryComplete(SessionInfo session, QueryEvent query, QueryOutcome outcome) {
        LiveSession live = sessions.get(session.connectionId());
        if (live != null) {
            live.inStatement = false;
            live.usage.touch();
        }
    }

    @Override
    public void onClose(SessionInfo session, CloseReason reason) {
        LiveSession live = sessions.remove(session.connectionId());
        if (live != null) {
            live.usage.liveSessions.decrementAndGet();
            live.usage.touch();
        }
    }

    /** One pass of the scheduler: re-read live grants, terminate sessions whose grant ended. */
    void checkGrants() {
        try {
            Set<UUID> grantIds = new HashSet<>();
            sessions.values().forEach(live -> grantIds.add(live.info.grant().grantId()));
            if (!grantIds.isEmpty()) {
                apply(source.statuses(grantIds));
            }
            evictIdleUsages();
        } catch (RuntimeException ex) {
            long now = System.nanoTime();
            if (now - lastFailureLogNanos > TimeUnit.MINUTES.toNanos(1)) {
                lastFailureLogNanos = now;
                LOG.warn("grant check failed (live sessions keep their grants until it succeeds): {}",
                        ex.toString());
            }
        }
    }

    private void apply(Map<UUID, GrantStatus> statuses) {
        for (LiveSession live : sessions.values()) {
            UUID grantId = live.info.grant().grantId();
            GrantStatus status = statuses.get(grantId);
            String reason = status == null || status.revoked() ? REVOKED : status.expired() ? EXPIRED : null;
            if (reason == null) {
                live.usage.maxQueries = status.maxQueries();
                live.usage.maxBytes = status.maxBytes();
                continue;
            }
            live.usage.endedReason = reason;
            if (live.info.handle().isOpen()) {
                LOG.info("[{}] {}: terminating the session of {}", live.info.sessionId(), reason,
                        live.info.identity().username());
                live.info.handle().terminate(reason);
            }
        }
    }

    private void evictIdleUsages() {
        long now = System.nanoTime();
        usages.entrySet().removeIf(entry -> entry.getValue().liveSessions.get() <= 0
                && now - entry.getValue().lastUsedNanos > IDLE_USAGE_NANOS);
    }

    /** Live counters of a grant (for tests and diagnostics): queries, bytes. */
    long[] usage(UUID grantId) {
        GrantUsage usage = usages.get(grantId);
        return usage == null ? new long[] {0, 0} : new long[] {usage.queries.get(), usage.bytes.get()};
    }

    /** Stops the scheduler, waiting up to 5 s for a running check. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the grant watch did not stop within 5 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counters shared by every session under one grant. */
    private static final class GrantUsage {
        final AtomicLong queries = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger liveSessions = new AtomicInteger();
        volatile OptionalLong maxQueries;
        volatile OptionalLong maxBytes;
        volatile String endedReason;
        volatile long lastUsedNanos = System.nanoTime();

        GrantUsage(GrantInfo grant) {
            this.maxQueries = grant.maxQueries();
            this.maxBytes = grant.maxBytes();
        }

        /** Folds in the store's view: it lags behind memory (asynchronous writer), so keep the larger count. */
        void seed(GrantInfo grant) {
            queries.accumulateAndGet(grant.queriesUsed(), Math::max);
            bytes.accumulateAndGet(grant.bytesUsed(), Math::max);
            touch();
        }

        void touch() {
            lastUsedNanos = System.nanoTime();
        }
    }

    /** Per-session state: which grant counters it uses, and whether its current statement was already cut. */
    private static final class LiveSession {
        final SessionInfo info;
        final GrantUsage usage;
        volatile boolean inStatement;
        volatile boolean cut;

        LiveSession(SessionInfo info, GrantUsage usage) {
            this.info = info;
            this.usage = usage;
        }
    }
}
