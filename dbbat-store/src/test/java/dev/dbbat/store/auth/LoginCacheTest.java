package dev.dbbat.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.Resolution;
import dev.dbbat.core.event.Target;
import dev.dbbat.store.LoginUser;
import dev.dbbat.store.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginCacheTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final LoginCache cache = new LoginCache(Duration.ofSeconds(1), 3, nanos::get);

    private static LoginUser user(String name) {
        return new LoginUser(new User(UUID.randomUUID(), name, "hash", new byte[16], 4096, new byte[32],
                new byte[32], List.of("connector"), false, null, Instant.EPOCH, Instant.EPOCH), List.of());
    }

    private static Resolution.Resolved resolved(OptionalLong maxQueries, OptionalLong maxBytes) {
        Target target = new Target(UUID.randomUUID(), "app", Protocol.POSTGRESQL, "db.internal", 5432, "app",
                "owner", "owner-pw", "disable", Optional.empty(), false);
        return new Resolution.Resolved(target, new GrantInfo(UUID.randomUUID(), Set.of(), Instant.EPOCH,
                Instant.now().plusSeconds(3600), maxQueries, maxBytes, 0, 0));
    }

    @Test
    void keepsAReadForTheTtlOnly() {
        LoginUser alice = user("alice");
        cache.putUser("alice", alice, cache.generation());
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertThat(cache.user("alice")).containsSame(alice);
        assertThat(cache.user("bob")).isEmpty();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(cache.user("alice")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aChangeEmptiesItAndAReadStartedBeforeTheChangeIsNotKept() {
        UUID userId = UUID.randomUUID();
        cache.putTarget(userId, "app", Protocol.POSTGRESQL, resolved(OptionalLong.empty(), OptionalLong.empty()),
                cache.generation());
        long before = cache.generation();
        cache.invalidateAll();
        assertThat(cache.target(userId, "app", Protocol.POSTGRESQL)).isEmpty();
        cache.putUser("alice", user("alice"), before);
        assertThat(cache.user("alice")).isEmpty();
        cache.putUser("alice", user("alice"), cache.generation());
        assertThat(cache.user("alice")).isPresent();
    }

    @Test
    void targetsAreKeptPerUserDatabaseAndListenerAndNeverWithAQuota() {
        UUID userId = UUID.randomUUID();
        Resolution.Resolved plain = resolved(OptionalLong.empty(), OptionalLong.empty());
        cache.putTarget(userId, "app", Protocol.POSTGRESQL, plain, cache.generation());
        assertThat(cache.target(userId, "app", Protocol.POSTGRESQL)).containsSame(plain);
        assertThat(cache.target(userId, "app", Protocol.MYSQL)).isEmpty();
        assertThat(cache.target(userId, "other", Protocol.POSTGRESQL)).isEmpty();
        assertThat(cache.target(UUID.randomUUID(), "app", Protocol.POSTGRESQL)).isEmpty();
        cache.putTarget(userId, "counted", Protocol.POSTGRESQL, resolved(OptionalLong.of(10), OptionalLong.empty()),
                cache.generation());
        cache.putTarget(userId, "metered", Protocol.POSTGRESQL, resolved(OptionalLong.empty(), OptionalLong.of(1)),
                cache.generation());
        assertThat(cache.target(userId, "counted", Protocol.POSTGRESQL)).isEmpty();
        assertThat(cache.target(userId, "metered", Protocol.POSTGRESQL)).isEmpty();
    }

    @Test
    void staysWithinItsSize() {
        for (int i = 0; i < 10; i++) {
            cache.putUser("user" + i, user("user" + i), cache.generation());
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        assertThat(cache.user("user9")).isPresent();
    }

    @Test
    void aDisabledCacheKeepsNothing() {
        LoginCache disabled = LoginCache.disabled();
        disabled.putUser("alice", user("alice"), disabled.generation());
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.user("alice")).isEmpty();
        assertThat(new LoginCache(Duration.ofMillis(1), 1, nanos::get).enabled()).isTrue();
    }
}
