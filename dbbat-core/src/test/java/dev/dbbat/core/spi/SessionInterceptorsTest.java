package dev.dbbat.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.event.SessionStats;
import dev.dbbat.core.event.Target;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class SessionInterceptorsTest {

    @Test
    void firstDenyingInterceptorWins() {
        List<String> called = new ArrayList<>();
        SessionInterceptor deny = new SessionInterceptor() {
            @Override
            public Decision onQuery(SessionInfo session, QueryEvent query) {
                called.add("deny");
                return Decision.deny("42501", "no");
            }
        };
        SessionInterceptor after = new SessionInterceptor() {
            @Override
            public Decision onQuery(SessionInfo session, QueryEvent query) {
                called.add("after");
                return Decision.proceed();
            }
        };

        Decision decision = SessionInterceptors.chain(List.of(deny, after)).onQuery(session(), query());

        assertThat(decision.kind()).isEqualTo(Decision.Kind.DENY);
        assertThat(decision.message()).isEqualTo("no");
        assertThat(called).containsExactly("deny");
    }

    @Test
    void throwingInterceptorDeniesTheQuery() {
        SessionInterceptor broken = new SessionInterceptor() {
            @Override
            public Decision onQuery(SessionInfo session, QueryEvent query) {
                throw new IllegalStateException("boom");
            }
        };

        Decision decision = SessionInterceptors.chain(List.of(broken)).onQuery(session(), query());

        assertThat(decision.kind()).isEqualTo(Decision.Kind.DENY);
    }

    @Test
    void throwingConnectHookDeniesTheSession() throws Exception {
        SessionInterceptor broken = new SessionInterceptor() {
            @Override
            public java.util.concurrent.CompletionStage<Decision> onConnect(SessionInfo session) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("store down"));
            }
        };

        Decision decision = SessionInterceptors.chain(List.of(broken))
                .onConnect(session())
                .toCompletableFuture()
                .get();

        assertThat(decision.kind()).isEqualTo(Decision.Kind.DENY);
    }

    @Test
    void observationHooksReachEveryInterceptorDespiteFailures() {
        List<String> closed = new ArrayList<>();
        SessionInterceptor broken = new SessionInterceptor() {
            @Override
            public void onClose(SessionInfo session, CloseReason reason) {
                throw new IllegalStateException("boom");
            }
        };
        SessionInterceptor recording = new SessionInterceptor() {
            @Override
            public void onClose(SessionInfo session, CloseReason reason) {
                closed.add(reason.detail());
            }
        };

        SessionInterceptors.chain(List.of(broken, recording))
                .onClose(session(), CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, "bye"));

        assertThat(closed).containsExactly("bye");
    }

    private static SessionInterceptor pausing(CompletionStage<?> rows, CompletionStage<?> statements) {
        return new SessionInterceptor() {
            @Override
            public CompletionStage<?> rowBackpressure(SessionInfo session) {
                return rows;
            }

            @Override
            public CompletionStage<?> statementBackpressure(SessionInfo session) {
                return statements;
            }
        };
    }

    @Test
    void backpressureIsNullWhenNoInterceptorPauses() {
        SessionInterceptor chain = SessionInterceptors.chain(List.of(new SessionInterceptor() {},
                pausing(CompletableFuture.completedFuture(null), null)));

        assertThat(chain.rowBackpressure(session())).isNull();
        assertThat(chain.statementBackpressure(session())).isNull();
    }

    @Test
    void backpressureWaitsForEveryPausingInterceptor() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        SessionInterceptor chain = SessionInterceptors.chain(List.of(pausing(first, null),
                new SessionInterceptor() {}, pausing(second, second)));

        CompletableFuture<?> rows = chain.rowBackpressure(session()).toCompletableFuture();
        CompletableFuture<?> statements = chain.statementBackpressure(session()).toCompletableFuture();

        assertThat(rows.isDone()).isFalse();
        assertThat(statements.isDone()).isFalse();
        first.complete(null);
        assertThat(rows.isDone()).isFalse();
        second.completeExceptionally(new IllegalStateException("writer closed"));
        assertThat(rows.isDone()).isTrue();
        assertThat(statements.isDone()).isTrue();
    }

    @Test
    void throwingBackpressureDoesNotPause() {
        CompletableFuture<Void> pending = new CompletableFuture<>();
        SessionInterceptor broken = new SessionInterceptor() {
            @Override
            public CompletionStage<?> rowBackpressure(SessionInfo session) {
                throw new IllegalStateException("boom");
            }
        };

        assertThat(SessionInterceptors.chain(List.of(broken)).rowBackpressure(session())).isNull();
        assertThat(SessionInterceptors.chain(List.of(broken, pausing(pending, null))).rowBackpressure(session()))
                .isSameAs(pending);
    }

    static SessionInfo session() {
        Identity identity = new Identity(UUID.randomUUID(), "dev", Set.of("connector"), Identity.AuthMethod.PASSWORD,
                Optional.empty());
        Target target = new Target(UUID.randomUUID(), "prod", Protocol.POSTGRESQL, "localhost", 5432, "app", "u",
                "secret", "disable", Optional.empty(), false);
        GrantInfo grant = new GrantInfo(UUID.randomUUID(), Set.of(Control.READ_ONLY), Instant.now(),
                Instant.now().plusSeconds(60), OptionalLong.empty(), OptionalLong.empty(), 0, 0);
        return new SessionInfo(UUID.randomUUID(), "pg-test", Protocol.POSTGRESQL, identity, target, grant,
                new InetSocketAddress("127.0.0.1", 1), Instant.now(), Map.of(), new SessionStats(),
                new SessionHandle() {
                    @Override
                    public void terminate(String message) {}

                    @Override
                    public boolean isOpen() {
                        return true;
                    }
                });
    }

    static QueryEvent query() {
        return new QueryEvent(UUID.randomUUID(), "select 1", Optional.empty(), Instant.now(), System.nanoTime());
    }
}
