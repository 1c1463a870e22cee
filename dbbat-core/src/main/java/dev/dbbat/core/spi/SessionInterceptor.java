package dev.dbbat.core.spi;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.core.event.SessionInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Policy and observation hooks for proxied sessions. Every method has a default (no-op or PROCEED), so new hooks
 * never break implementers.
 *
 * <p>Threading: callbacks of one session arrive in order on that session's event-loop thread; many sessions call
 * concurrently, so implementations must be thread-safe. Except for {@link #onConnect}, callbacks must not block or
 * do I/O: hand work to a queue or an executor.
 *
 * <p>Failures: an exception from {@code onConnect} or {@code onQuery} denies (fail closed); an exception from an
 * observation hook is logged and ignored (see {@link SessionInterceptors#chain}).
 */
public interface SessionInterceptor {

    /**
     * After client authentication and upstream login, before the client is told it is in. May complete later, on
     * any thread. DENY or TERMINATE refuse the session with the decision's message.
     */
    default CompletionStage<Decision> onConnect(SessionInfo session) {
        return CompletableFuture.completedFuture(Decision.proceed());
    }

    /** Every statement, before it is forwarded. DENY refuses it and keeps the session; TERMINATE ends it. */
    default Decision onQuery(SessionInfo session, QueryEvent query) {
        return Decision.proceed();
    }

    /**
     * Bytes crossed the client socket ({@code bytes} in either direction). Called per read or write batch, not per
     * byte. DENY cuts the current result with an error; TERMINATE ends the session.
     */
    default Decision onBytes(SessionInfo session, long bytes) {
        return Decision.proceed();
    }

    /** One captured result row, only when result capture is on and within its limits. */
    default void onResultRow(SessionInfo session, QueryEvent query, ResultRow row) {}

    /** A statement ended (completed, failed, or refused by the proxy). */
    default void onQueryComplete(SessionInfo session, QueryEvent query, QueryOutcome outcome) {}

    /** The session ended. Called exactly once per session that reached {@link #onConnect}. */
    default void onClose(SessionInfo session, CloseReason reason) {}
}
