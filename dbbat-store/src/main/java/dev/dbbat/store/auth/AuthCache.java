package dev.dbbat.store.auth;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches the outcome of Argon2id verifications (positive and negative) for a TTL, so that Basic-auth requests, Bearer
 * tokens and proxy logins do not pay for Argon2 on every request. Keys are SHA-256 digests: the cache never holds a
 * secret. A password entry is bound to a prefix of the stored hash, so a password change invalidates it; token
 * entries are checked again for revocation and expiry by the caller, on the row.
 *
 * <p>One instance is shared by the API and the proxies. Thread-safe. When full, expired entries are dropped first,
 * then the oldest entry.
 */
public final class AuthCache {
    private static final int STORED_HASH_PREFIX = 32;

    private final boolean enabled;
    private final Duration ttl;
    private final int maxSize;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(boolean valid, Instant at) {}

    /**
     * @param enabled when false, {@link #get} always misses and {@link #put} does nothing
     * @param ttl how long an outcome is trusted
     * @param maxSize maximum number of entries
     */
    public AuthCache(boolean enabled, Duration ttl, int maxSize, Clock clock) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " (expected: >= 1)");
        }
        this.enabled = enabled;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.maxSize = maxSize;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * From {@code DBB_AUTH_CACHE_ENABLED} (true), {@code DBB_AUTH_CACHE_TTL_SECONDS} (300) and
     * {@code DBB_AUTH_CACHE_MAX_SIZE} (10000).
     */
    public static AuthCache fromEnv(Map<String, String> env) {
        boolean enabled = !"false".equalsIgnoreCase(env.getOrDefault("DBB_AUTH_CACHE_ENABLED", "true").trim());
        long ttl = parse(env.get("DBB_AUTH_CACHE_TTL_SECONDS"), 300);
        long max = parse(env.get("DBB_AUTH_CACHE_MAX_SIZE"), 10_000);
        return new AuthCache(enabled, Duration.ofSeconds(Math.max(1, ttl)), (int) Math.max(1, max),
                Clock.systemUTC());
    }

    private static long parse(String value, long fallback) {
        try {
            return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException ex) {
            return fallback;
        }
    }

    /** The cached outcome for {@code key}, if present and fresh. */
    public Optional<Boolean> get(String key) {
        if (!enabled) {
            return Optional.empty();
        }
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (expired(entry, clock.instant())) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.valid());
    }

    public void put(String key, boolean valid) {
        if (!enabled) {
            return;
        }
        if (entries.size() >= maxSize && !entries.containsKey(key)) {
            makeRoom();
        }
        entries.put(key, new Entry(valid, clock.instant()));
    }

    /** Forgets {@code key}. */
    public void invalidate(String key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    private void makeRoom() {
        Instant now = clock.instant();
        entries.entrySet().removeIf(each -> expired(each.getValue(), now));
        while (entries.size() >= maxSize) {
            entries.entrySet().stream()
                    .min((a, b) -> a.getValue().at().compareTo(b.getValue().at()))
                    .ifPresent(oldest -> entries.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    private boolean expired(Entry entry, Instant now) {
        return !entry.at().plus(ttl).isAfter(now);
    }

    /** Cache key of a password check: bound to the user and to a prefix of the stored hash. */
    public static String passwordKey(UUID userId, char[] password, String storedHash) {
        MessageDigest digest = sha256();
        digest.update((userId + ":").getBytes(StandardCharsets.UTF_8));
        digest.update(utf8(password));
        String prefix = storedHash.substring(0, Math.min(STORED_HASH_PREFIX, storedHash.length()));
        digest.update((":" + prefix).getBytes(StandardCharsets.UTF_8));
        return "p:" + HexFormat.of().formatHex(digest.digest());
    }

    /** Cache key of a token check (API key or web session): bound to the stored hash too. */
    public static String tokenKey(char[] token, String storedHash) {
        MessageDigest digest = sha256();
        digest.update(utf8(token));
        digest.update((":" + storedHash).getBytes(StandardCharsets.UTF_8));
        return "t:" + HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] utf8(char[] chars) {
        var buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
