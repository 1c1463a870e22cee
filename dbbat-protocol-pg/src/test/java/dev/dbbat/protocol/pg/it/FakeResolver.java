package dev.dbbat.protocol.pg.it;

import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.Resolution;
import dev.dbbat.core.event.Target;
import dev.dbbat.core.spi.TargetResolver;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** DBBat database names → targets, and (user, database) → grant. Thread-safe. */
final class FakeResolver implements TargetResolver {
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, GrantInfo> grants = new ConcurrentHashMap<>();

    FakeResolver target(String name, String host, int port, String database, String user, String password) {
        return target(name, host, port, database, user, password, "disable");
    }

    FakeResolver target(String name, String host, int port, String database, String user, String password,
            String sslMode) {
        targets.put(name, new Target(UUID.randomUUID(), name, Protocol.POSTGRESQL, host, port, database, user,
                password, sslMode, Optional.empty(), false));
        return this;
    }

    FakeResolver grant(String user, String database, Control... controls) {
        return grant(user, database, Instant.now().plus(1, ChronoUnit.HOURS), controls);
    }

    FakeResolver grant(String user, String database, Instant expiresAt, Control... controls) {
        grants.put(user + "@" + database, new GrantInfo(UUID.randomUUID(), Set.of(controls),
                Instant.now().minusSeconds(60), expiresAt, OptionalLong.empty(), OptionalLong.empty(), 0, 0));
        return this;
    }

    FakeResolver revoke(String user, String database) {
        grants.remove(user + "@" + database);
        return this;
    }

    @Override
    public CompletionStage<Resolution> resolve(Identity identity, String databaseName, Protocol listener) {
        Target target = targets.get(databaseName);
        if (target == null) {
            return CompletableFuture.completedFuture(new Resolution.Refused("unknown database"));
        }
        GrantInfo grant = grants.get(identity.username() + "@" + databaseName);
        if (grant == null) {
            return CompletableFuture.completedFuture(new Resolution.Refused("no active grant"));
        }
        return CompletableFuture.supplyAsync(() -> new Resolution.Resolved(target, grant));
    }
}
