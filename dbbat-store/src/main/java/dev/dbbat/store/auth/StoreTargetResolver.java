package dev.dbbat.store.auth;

import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.Resolution;
import dev.dbbat.core.event.Target;
import dev.dbbat.core.spi.TargetResolver;
import dev.dbbat.store.Database;
import dev.dbbat.store.DatabaseAccess;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.Grant;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.crypto.CredentialCipher;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxies' {@link TargetResolver} backed by the store: the live database of that name (for Oracle listeners, also
 * by service name), reachable through the listener's protocol; the most recently created active grant of the user
 * on it, with its usage over the grant's window; a refusal when a quota is already exhausted; the decrypted upstream
 * credential — the database's read-only credential when the grant is {@code read_only} and the database has one.
 *
 * <p>Look-ups and decryption run on the executor given at construction (bounded), never on the caller's thread; a
 * resolution still fresh in the {@link LoginCache} is returned at once instead. Thread-safe.
 */
public final class StoreTargetResolver implements TargetResolver {
    private static final Logger LOG = LoggerFactory.getLogger(StoreTargetResolver.class);

    private final DatabaseRepository databases;
    private final GrantRepository grants;
    private final CredentialCipher cipher;
    private final Executor executor;
    private final LoginCache cache;
    private final Clock clock;

    /** Without a cache: every login reads the store. */
    public StoreTargetResolver(DatabaseRepository databases, GrantRepository grants, CredentialCipher cipher,
            Executor executor) {
        this(databases, grants, cipher, executor, LoginCache.disabled(), Clock.systemUTC());
    }

    /**
     * @param cache recent resolutions (a hit completes at once, on the caller's thread, without the executor)
     * @param clock for the window of a cached grant
     */
    public StoreTargetResolver(DatabaseRepository databases, GrantRepository grants, CredentialCipher cipher,
            Executor executor, LoginCache cache, Clock clock) {
        this.databases = Objects.requireNonNull(databases, "databases");
        this.grants = Objects.requireNonNull(grants, "grants");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<Resolution> resolve(Identity identity, String databaseName, Protocol listener) {
        Optional<Resolution.Resolved> cached = cache.target(identity.userId(), databaseName, listener);
        if (cached.isPresent() && withinWindow(cached.get().grant())) {
            return CompletableFuture.completedFuture(cached.get());
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                long generation = cache.generation();
                Resolution resolution = resolveNow(identity, databaseName, listener);
                if (resolution instanceof Resolution.Resolved resolved) {
                    cache.putTarget(identity.userId(), databaseName, listener, resolved, generation);
                }
                return resolution;
            }, executor)
                    .exceptionally(ex -> {
                        LOG.error("cannot resolve database '{}' for user {}: {}", databaseName, identity.username(),
                                ex.getClass().getSimpleName());
                        return new Resolution.Refused("internal error");
                    });
        } catch (RejectedExecutionException ex) {
            return CompletableFuture.completedFuture(new Resolution.Refused("server busy"));
        }
    }

    private Resolution resolveNow(Identity identity, String databaseName, Protocol listener) {
        Optional<DatabaseAccess> found = grants.findDatabaseAccess(databaseName, identity.userId());
        if (found.isEmpty() && listener == Protocol.ORACLE) {
            found = databases.findByOracleServiceName(databaseName).map(database ->
                    new DatabaseAccess(database, grants.findActive(identity.userId(), database.uid())));
        }
        if (found.isEmpty()) {
            return new Resolution.Refused("unknown database \"" + databaseName + "\"");
        }
        Database database = found.get().database();
        Optional<Protocol> protocol = Protocol.fromId(database.protocol());
        if (protocol.isEmpty() || !protocol.get().reachableThrough(listener)) {
            return new Resolution.Refused("database \"" + database.name() + "\" is not reachable through the "
                    + listener.id() + " listener");
        }
        Optional<Grant> active = found.get().activeGrant();
        if (active.isEmpty()) {
            return new Resolution.Refused("no active grant on database \"" + database.name() + "\"");
        }
        Grant grant = active.get();
        if (grant.maxQueryCounts() != null && grant.queryCount() >= grant.maxQueryCounts()) {
            return new Resolution.Refused("query limit exceeded");
        }
        if (grant.maxBytesTransferred() != null && grant.bytesTransferred() >= grant.maxBytesTransferred()) {
            return new Resolution.Refused("data transfer limit exceeded");
        }
        return new Resolution.Resolved(target(database, protocol.get(), grant), grantInfo(grant));
    }

    private boolean withinWindow(GrantInfo grant) {
        Instant now = clock.instant();
        return !now.isBefore(grant.startsAt()) && now.isBefore(grant.expiresAt());
    }

    private Target target(Database database, Protocol protocol, Grant grant) {
        boolean readOnly = grant.controls().contains(Control.READ_ONLY.id()) && database.hasReadOnlyCredential();
        String username = readOnly ? database.readonlyUsername() : database.username();
        String password = readOnly
                ? cipher.decrypt(database.readonlyPasswordEncrypted(),
                        CredentialCipher.databaseReadOnlyAad(database.uid()))
                : cipher.decrypt(database.passwordEncrypted(), CredentialCipher.databaseAad(database.uid()));
        return new Target(database.uid(), database.name(), protocol, database.host(), database.port(),
                database.databaseName(), username, password, database.sslMode(),
                Optional.ofNullable(database.oracleServiceName()), readOnly);
    }

    private static GrantInfo grantInfo(Grant grant) {
        Set<Control> controls = EnumSet.noneOf(Control.class);
        grant.controls().forEach(id -> Control.fromId(id).ifPresent(controls::add));
        return new GrantInfo(grant.uid(), controls, grant.startsAt(), grant.expiresAt(),
                grant.maxQueryCounts() == null ? OptionalLong.empty() : OptionalLong.of(grant.maxQueryCounts()),
                grant.maxBytesTransferred() == null ? OptionalLong.empty()
                        : OptionalLong.of(grant.maxBytesTransferred()),
                grant.queryCount(), grant.bytesTransferred());
    }
}
