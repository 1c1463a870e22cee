package dev.dbbat.store.auth;

import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.Resolution;
import dev.dbbat.store.LoginUser;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the proxies' logins read from the store, kept for a short time: the user with its SCRAM verifiers and valid
 * API keys (by user name), and the resolved target of a (user, database, listener) with its active grant. A burst of
 * logins by the same user (a pool filling up, a script connecting in a loop) then reads the store once per TTL
 * instead of three times per login.
 *
 * <p>Freshness: every change this process makes to users, API keys, databases or grants empties the cache at once
 * ({@link dev.dbbat.store.LoginDataChanges}); a change made elsewhere (another server on the same store, SQL by hand)
 * reaches new logins within the TTL (default 1 s, about as long as live sessions take to see a revocation). Only
 * positive results are kept, and a target only for a grant without quotas (a quota's usage is read at each login); a
 * kept target is used only while its grant's window holds on the local clock. A read that began before the cache was
 * emptied is not kept. The cached target holds the upstream credential in memory for at most the TTL, as every live
 * session does for its lifetime.
 *
 * <p>Thread-safe; every method returns at once.
 */
public final class LoginCache {
    /** The default TTL: short enough that a change made outside this process reaches logins within a second. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(1);

    private final long ttlNanos;
    private final int maxSize;
    private final LongSupplier nanoTime;
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Entry<LoginUser>> users = new ConcurrentHashMap<>();
    private final Map<TargetKey, Entry<Resolution.Resolved>> targets = new ConcurrentHashMap<>();

    private record Entry<T>(T value, long readAtNanos, long generation) {}

    private record TargetKey(UUID userId, String databaseName, Protocol listener) {}

    /**
     * @param ttl how long a read is used; zero disables the cache
     * @param maxSize entries per kind; when full, expired entries go first, then all
     * @param nanoTime the clock ({@link System#nanoTime} outside tests)
     */
    public LoginCache(Duration ttl, int maxSize, LongSupplier nanoTime) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: >= 0)");
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " (expected: >= 1)");
        }
        this.ttlNanos = ttl.toNanos();
        this.maxSize = maxSize;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A cache that keeps nothing: every login reads the store. */
    public static LoginCache disabled() {
        return new LoginCache(Duration.ZERO, 1, System::nanoTime);
    }

    public boolean enabled() {
        return ttlNanos > 0;
    }

    /** Taken before a store read and handed to a put: a read older than the last {@link #invalidateAll} is dropped. */
    public long generation() {
        return generation.get();
    }

    /** Empties the cache; reads already under way when it is called are not kept. */
    public void invalidateAll() {
        generation.incrementAndGet();
        users.clear();
        targets.clear();
    }

    public Optional<LoginUser> user(String username) {
        return fresh(users, username);
    }

    public void putUser(String username, LoginUser user, long readGeneration) {
        put(users, username, user, readGeneration);
    }

    public Optional<Resolution.Resolved> target(UUID userId, String databaseName, Protocol listener) {
        return fresh(targets, new TargetKey(userId, databaseName, listener));
    }

    /** Keeps {@code resolved} unless its grant has a quota. */
    public void putTarget(UUID userId, String databaseName, Protocol listener, Resolution.Resolved resolved,
            long readGeneration) {
        if (resolved.grant().maxQueries().isPresent() || resolved.grant().maxBytes().isPresent()) {
            return;
        }
        put(targets, new TargetKey(userId, databaseName, listener), resolved, readGeneration);
    }

    private <K, T> Optional<T> fresh(Map<K, Entry<T>> map, K key) {
        if (ttlNanos <= 0) {
            return Optional.empty();
        }
        Entry<T> entry = map.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.generation() != generation.get() || nanoTime.getAsLong() - entry.readAtNanos() >= ttlNanos) {
            map.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    private <K, T> void put(Map<K, Entry<T>> map, K key, T value, long readGeneration) {
        if (ttlNanos <= 0 || readGeneration != generation.get()) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (map.size() >= maxSize) {
            map.values().removeIf(entry -> now - entry.readAtNanos() >= ttlNanos);
            if (map.size() >= maxSize) {
                map.clear();
            }
        }
        map.put(key, new Entry<>(value, now, readGeneration));
        if (readGeneration != generation.get()) {
            // emptied while this was being put: drop it, the read may predate the change
            map.remove(key);
        }
    }

    /** Entries of both kinds (for tests). */
    int size() {
        return users.size() + targets.size();
    }
}
