package dev.dbbat.core.spi;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.core.event.SessionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Combines interceptors. Stateless and thread-safe. */
public final class SessionInterceptors {
    private static final Logger LOG = LoggerFactory.getLogger(SessionInterceptors.class);

    private SessionInterceptors() {}

    /** The interceptors registered under {@code META-INF/services/dev.dbbat.core.spi.SessionInterceptor}. */
    public static List<SessionInterceptor> loadInstalled() {
        List<SessionInterceptor> result = new ArrayList<>();
        ServiceLoader.load(SessionInterceptor.class).forEach(result::add);
        return result;
    }

    /**
     * One interceptor that calls each of {@code interceptors} in order: for decisions, the first that is not
     * PROCEED wins (and a throwing interceptor denies); observation hooks reach every interceptor, and a throwing
     * one is logged and skipped. Flow control ({@code rowBackpressure}, {@code statementBackpressure}) asks every
     * interceptor and waits for all of them: the result is {@code null} when none asks to pause, the one pending stage,
     * or a stage that completes once every pending one has; a throwing interceptor is logged and does not pause.
     */
    public static SessionInterceptor chain(List<? extends SessionInterceptor> interceptors) {
        List<SessionInterceptor> list = List.copyOf(interceptors);
        if (list.size() == 1) {
            return guarded(list.get(0));
        }
        return new Chain(list);
    }

    private static SessionInterceptor guarded(SessionInterceptor single) {
        return new Chain(List.of(single));
    }

    private static final class Chain implements SessionInterceptor {
        private static final Decision FAILED =
                Decision.deny(Decision.INSUFFICIENT_PRIVILEGE, "refused: the proxy's policy check failed");
        private final List<SessionInterceptor> interceptors;

        Chain(List<SessionInterceptor> interceptors) {
            this.interceptors = interceptors;
        }

        @Override
        public CompletionStage<Decision> onConnect(SessionInfo session) {
            return connectFrom(0, session);
        }

        private CompletionStage<Decision> connectFrom(int index, SessionInfo session) {
            if (index == interceptors.size()) {
                return CompletableFuture.completedFuture(Decision.proceed());
            }
            CompletionStage<Decision> stage;
            try {
                stage = interceptors.get(index).onConnect(session);
            } catch (RuntimeException ex) {
                LOG.error("[{}] interceptor onConnect failed", session.sessionId(), ex);
                return CompletableFuture.completedFuture(FAILED);
            }
            return stage.handle((decision, ex) -> {
                        if (ex != null) {
                            LOG.error("[{}] interceptor onConnect failed", session.sessionId(), ex);
                            return CompletableFuture.completedFuture(FAILED);
                        }
                        return decision.proceeds()
                                ? connectFrom(index + 1, session)
                                : CompletableFuture.completedFuture(decision);
                    })
                    .thenCompose(next -> next);
        }

        @Override
        public Decision onQuery(SessionInfo session, QueryEvent query) {
            for (SessionInterceptor each : interceptors) {
                try {
                    Decision decision = each.onQuery(session, query);
                    if (!decision.proceeds()) {
                        return decision;
                    }
                } catch (RuntimeException ex) {
                    LOG.error("[{}] interceptor onQuery failed", session.sessionId(), ex);
                    return FAILED;
                }
            }
            return Decision.proceed();
        }

        @Override
        public Decision onBytes(SessionInfo session, long bytes) {
            Decision result = Decision.proceed();
            for (SessionInterceptor each : interceptors) {
                try {
                    Decision decision = each.onBytes(session, bytes);
                    if (result.proceeds() && !decision.proceeds()) {
                        result = decision;
                    }
                } catch (RuntimeException ex) {
                    LOG.error("[{}] interceptor onBytes failed", session.sessionId(), ex);
                    result = FAILED;
                }
            }
            return result;
        }

        @Override
        public void onResultRow(SessionInfo session, QueryEvent query, ResultRow row) {
            for (SessionInterceptor each : interceptors) {
                try {
                    each.onResultRow(session, query, row);
                } catch (RuntimeException ex) {
                    LOG.warn("[{}] interceptor onResultRow failed", session.sessionId(), ex);
                }
            }
        }

        @Override
        public void onQueryComplete(SessionInfo session, QueryEvent query, QueryOutcome outcome) {
            for (SessionInterceptor each : interceptors) {
                try {
                    each.onQueryComplete(session, query, outcome);
                } catch (RuntimeException ex) {
                    LOG.warn("[{}] interceptor onQueryComplete failed", session.sessionId(), ex);
                }
            }
        }

        @Override
        public void onClose(SessionInfo session, CloseReason reason) {
            for (SessionInterceptor each : interceptors) {
                try {
                    each.onClose(session, reason);
                } catch (RuntimeException ex) {
                    LOG.warn("[{}] interceptor onClose failed", session.sessionId(), ex);
                }
            }
        }

        @Override
        public CompletionStage<?> rowBackpressure(SessionInfo session) {
            return backpressure(session, true);
        }

        @Override
        public CompletionStage<?> statementBackpressure(SessionInfo session) {
            return backpressure(session, false);
        }

        /** Called per read batch: allocates nothing unless an interceptor asks to pause. */
        private CompletionStage<?> backpressure(SessionInfo session, boolean rows) {
            CompletableFuture<?> single = null;
            List<CompletableFuture<?>> more = null;
            for (SessionInterceptor each : interceptors) {
                CompletableFuture<?> future;
                try {
                    CompletionStage<?> stage = rows ? each.rowBackpressure(session)
                            : each.statementBackpressure(session);
                    future = stage == null ? null : stage.toCompletableFuture();
                } catch (RuntimeException ex) {
                    LOG.warn("[{}] interceptor {} failed", session.sessionId(),
                            rows ? "rowBackpressure" : "statementBackpressure", ex);
                    continue;
                }
                if (future == null || future.isDone()) {
                    continue;
                }
                if (single == null) {
                    single = future;
                } else {
                    if (more == null) {
                        more = new ArrayList<>();
                        more.add(single);
                    }
                    more.add(future);
                }
            }
            if (more != null) {
                return CompletableFuture.allOf(more.toArray(CompletableFuture[]::new));
            }
            return single;
        }
    }
}
