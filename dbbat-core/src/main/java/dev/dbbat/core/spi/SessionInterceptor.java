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
 *
 * <p>Flow control: {@link #rowBackpressure} and {@link #statementBackpressure} let an interceptor that hands work to a
 * bounded queue (a store writer) make the proxy stop reading until that queue has drained, instead of dropping work or
 * growing without bound. They are asked on the session's event loop and must answer at once.
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

    /**
     * Flow control for captured rows. The proxy asks after a read from the server during which it called
     * {@link #onResultRow} for this session, before it reads more from the server.
     *
     * <p>{@code null} (the default), or a stage already completed: keep reading. A pending stage: the proxy stops
     * reading this session's server connection (what it already read still reaches the client; the server then waits
     * on its socket, so nothing accumulates in the proxy) until the stage completes, normally or exceptionally. The
     * stage may complete on any thread: the proxy hops back to the session's event loop before reading again. Reading
     * resumes without asking again; the next read that captures rows asks again.
     *
     * <p>Called on the session's event loop: must not block. The stage is held until it completes, so complete it
     * eventually (for instance when the queue it watches drains, or when the consumer gives up or shuts down).
     */
    default CompletionStage<?> rowBackpressure(SessionInfo session) {
        return null;
    }

    /**
     * Flow control for statements. The proxy asks before it reads more from the client of an open session (after
     * login): {@code null} or a completed stage, keep reading; a pending stage, stop reading the client (statements
     * already read still run and their results still reach the client) until the stage completes on any thread.
     * Same threading and obligations as {@link #rowBackpressure}.
     */
    default CompletionStage<?> statementBackpressure(SessionInfo session) {
        return null;
    }
}
