package dev.dbbat.server.policy;

import static dev.dbbat.server.policy.Sessions.grant;
import static dev.dbbat.server.policy.Sessions.query;
import static dev.dbbat.server.policy.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.spi.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrantPolicyInterceptorTest {
    private final Map<UUID, GrantStatus> store = new HashMap<>();
    private final GrantPolicyInterceptor policy =
            new GrantPolicyInterceptor(ids -> Map.copyOf(store), Duration.ofSeconds(1), Clock.systemUTC());
    private final Instant later = Instant.now().plusSeconds(3600);

    @AfterEach
    void close() {
        policy.close();
    }

    private SessionInfo connect(GrantInfo grant, Sessions.RecordingHandle handle) {
        SessionInfo session = session(grant, handle);
        assertThat(policy.onConnect(session).toCompletableFuture().join().proceeds()).isTrue();
        return session;
    }

    private static QueryOutcome ok() {
        return new QueryOutcome(1, OptionalLong.of(1), java.util.Optional.empty(), java.util.Optional.empty(), false,
                10, 0, false, java.util.Optional.empty());
    }

    @Test
    void deniesTheStatementAfterTheQueryQuotaAcrossSessions() {
        UUID grantId = UUID.randomUUID();
        GrantInfo grant = grant(grantId, later, OptionalLong.of(3), OptionalLong.empty(), 1, 0);
        SessionInfo first = connect(grant, new Sessions.RecordingHandle());
        SessionInfo second = connect(grant, new Sessions.RecordingHandle());
        assertThat(policy.onQuery(first, query("SELECT 1")).proceeds()).isTrue();
        policy.onQueryComplete(first, query("SELECT 1"), ok());
        assertThat(policy.onQuery(second, query("SELECT 2")).proceeds()).isTrue();
        Decision denied = policy.onQuery(first, query("SELECT 3"));
        assertThat(denied.kind()).isEqualTo(Decision.Kind.DENY);
        assertThat(denied.sqlState()).isEqualTo(Decision.LIMIT_EXCEEDED);
        assertThat(denied.message()).isEqualTo("query limit exceeded");
        assertThat(policy.onQuery(second, query("SELECT 4")).message()).isEqualTo("query limit exceeded");
    }

    @Test
    void refusesAConnectionWhenTheQuotaIsAlreadyUsedUp() {
        GrantInfo grant = grant(UUID.randomUUID(), later, OptionalLong.of(5), OptionalLong.empty(), 5, 0);
        Decision decision = policy.onConnect(session(grant, new Sessions.RecordingHandle())).toCompletableFuture()
                .join();
        assertThat(decision.message()).isEqualTo("query limit exceeded");
    }

    @Test
    void cutsAResultThatCrossesTheByteQuotaOnceThenDeniesNewStatements() {
        GrantInfo grant = grant(UUID.randomUUID(), later, OptionalLong.empty(), OptionalLong.of(1000), 0, 100);
        SessionInfo session = connect(grant, new Sessions.RecordingHandle());
        assertThat(policy.onQuery(session, query("SELECT big")).proceeds()).isTrue();
        assertThat(policy.onBytes(session, 800).proceeds()).isTrue();
        Decision cut = policy.onBytes(session, 200);
        assertThat(cut.kind()).isEqualTo(Decision.Kind.DENY);
        assertThat(cut.message()).isEqualTo("data transfer limit exceeded");
        assertThat(policy.onBytes(session, 50).proceeds()).isTrue();
        assertThat(policy.onQuery(session, query("SELECT 1")).message()).isEqualTo("data transfer limit exceeded");
    }

    @Test
    void sharesByteCountersBetweenSessionsOfOneGrant() {
        GrantInfo grant = grant(UUID.randomUUID(), later, OptionalLong.empty(), OptionalLong.of(1000), 0, 0);
        SessionInfo first = connect(grant, new Sessions.RecordingHandle());
        SessionInfo second = connect(grant, new Sessions.RecordingHandle());
        policy.onBytes(first, 600);
        policy.onBytes(second, 600);
        assertThat(policy.onQuery(first, query("SELECT 1")).message()).isEqualTo("data transfer limit exceeded");
        assertThat(policy.usage(grant.grantId())).containsExactly(1, 1200);
    }

    @Test
    void keepsTheLargerOfMemoryAndStoreWhenASessionReconnects() {
        UUID grantId = UUID.randomUUID();
        SessionInfo first = connect(grant(grantId, later, OptionalLong.empty(), OptionalLong.empty(), 0, 0),
                new Sessions.RecordingHandle());
        policy.onQuery(first, query("SELECT 1"));
        policy.onQuery(first, query("SELECT 2"));
        policy.onClose(first, CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, "bye"));
        connect(grant(grantId, later, OptionalLong.empty(), OptionalLong.empty(), 1, 0),
                new Sessions.RecordingHandle());
        assertThat(policy.usage(grantId)[0]).isEqualTo(2);
    }

    @Test
    void terminatesLiveSessionsWhenTheGrantIsRevokedOrExpired() {
        UUID revoked = UUID.randomUUID();
        UUID expired = UUID.randomUUID();
        UUID fine = UUID.randomUUID();
        Sessions.RecordingHandle revokedHandle = new Sessions.RecordingHandle();
        Sessions.RecordingHandle expiredHandle = new Sessions.RecordingHandle();
        Sessions.RecordingHandle fineHandle = new Sessions.RecordingHandle();
        SessionInfo revokedSession = connect(grant(revoked, later, OptionalLong.empty(), OptionalLong.empty(), 0, 0),
                revokedHandle);
        connect(grant(expired, later, OptionalLong.empty(), OptionalLong.empty(), 0, 0), expiredHandle);
        connect(grant(fine, later, OptionalLong.empty(), OptionalLong.empty(), 0, 0), fineHandle);
        store.put(revoked, new GrantStatus(revoked, true, false, OptionalLong.empty(), OptionalLong.empty()));
        store.put(expired, new GrantStatus(expired, false, true, OptionalLong.empty(), OptionalLong.empty()));
        store.put(fine, new GrantStatus(fine, false, false, OptionalLong.empty(), OptionalLong.empty()));

        policy.checkGrants();

        assertThat(revokedHandle.terminated).hasValue("access grant revoked");
        assertThat(expiredHandle.terminated).hasValue("access grant expired");
        assertThat(fineHandle.terminated).hasNullValue();
        Decision next = policy.onQuery(revokedSession, query("SELECT 1"));
        assertThat(next.kind()).isEqualTo(Decision.Kind.TERMINATE);
        assertThat(next.message()).isEqualTo("access grant revoked");
    }

    @Test
    void treatsADeletedGrantAsRevoked() {
        Sessions.RecordingHandle handle = new Sessions.RecordingHandle();
        connect(grant(UUID.randomUUID(), later, OptionalLong.empty(), OptionalLong.empty(), 0, 0), handle);
        policy.checkGrants();
        assertThat(handle.terminated).hasValue("access grant revoked");
    }

    @Test
    void picksUpQuotaChangesFromTheStore() {
        UUID grantId = UUID.randomUUID();
        SessionInfo session = connect(grant(grantId, later, OptionalLong.empty(), OptionalLong.empty(), 0, 0),
                new Sessions.RecordingHandle());
        store.put(grantId, new GrantStatus(grantId, false, false, OptionalLong.of(0), OptionalLong.empty()));
        policy.checkGrants();
        assertThat(policy.onQuery(session, query("SELECT 1")).message()).isEqualTo("query limit exceeded");
    }

    @Test
    void terminatesAStatementArrivingAfterExpiryByTheLocalClock() {
        SessionInfo session = connect(grant(UUID.randomUUID(), Instant.now().plusMillis(1), OptionalLong.empty(),
                OptionalLong.empty(), 0, 0), new Sessions.RecordingHandle());
        Instant stop = Instant.now().plusMillis(50);
        while (Instant.now().isBefore(stop)) {
            Thread.onSpinWait();
        }
        Decision decision = policy.onQuery(session, query("SELECT 1"));
        assertThat(decision.kind()).isEqualTo(Decision.Kind.TERMINATE);
        assertThat(decision.message()).isEqualTo("access grant expired");
    }

    @Test
    void survivesAStoreFailureDuringTheCheck() {
        GrantPolicyInterceptor failing = new GrantPolicyInterceptor(ids -> {
            throw new IllegalStateException("store down");
        }, Duration.ofSeconds(1), Clock.systemUTC());
        Sessions.RecordingHandle handle = new Sessions.RecordingHandle();
        failing.onConnect(session(grant(UUID.randomUUID(), later, OptionalLong.empty(), OptionalLong.empty(), 0, 0),
                handle));
        failing.checkGrants();
        assertThat(handle.terminated).hasNullValue();
        failing.close();
    }
}
