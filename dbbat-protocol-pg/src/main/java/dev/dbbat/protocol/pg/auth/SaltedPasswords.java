package dev.dbbat.protocol.pg.auth;

import dev.dbbat.core.auth.Scram;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers SCRAM SaltedPassword values of upstream logins, so that a proxy opening many sessions to the same
 * upstream role runs PBKDF2 (4096 HMAC-SHA-256 rounds by default, ~2 ms on an event loop) once per (password, salt,
 * iterations) instead of once per session, as pgbouncer does with its cached SCRAM keys. A SaltedPassword is a
 * password equivalent for that server only; entries expire after {@link #TTL_NANOS} and the cache is bounded.
 * The key is a SHA-256 digest, so no password is kept as a key. Thread-safe.
 */
final class SaltedPasswords {
    static final long TTL_NANOS = TimeUnit.MINUTES.toNanos(15);
    static final int MAX_ENTRIES = 1024;
    private static final ConcurrentHashMap<String, Entry> CACHE = new ConcurrentHashMap<>();

    private SaltedPasswords() {}

    private record Entry(byte[] salted, long createdNanos) {}

    /** Hi(password, salt, iterations): from the cache when fresh, else computed and cached. A copy each time. */
    static byte[] of(char[] password, byte[] salt, int iterations) {
        String key = key(password, salt, iterations);
        long now = System.nanoTime();
        Entry entry = CACHE.get(key);
        if (entry != null && now - entry.createdNanos() < TTL_NANOS) {
            return entry.salted().clone();
        }
        byte[] salted = Scram.saltedPassword(password, salt, iterations);
        if (CACHE.size() >= MAX_ENTRIES) {
            CACHE.clear();
        }
        CACHE.put(key, new Entry(salted.clone(), now));
        return salted;
    }

    /** Forgets every entry (tests). */
    static void clear() {
        CACHE.clear();
    }

    private static String key(char[] password, byte[] salt, int iterations) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] material = new byte[encoded.remaining() + 1 + salt.length + 4];
        encoded.get(material, 0, encoded.remaining());
        int at = material.length - salt.length - 4;
        System.arraycopy(salt, 0, material, at, salt.length);
        ByteBuffer.wrap(material, material.length - 4, 4).putInt(iterations);
        try {
            return Base64.getEncoder().encodeToString(Scram.sha256(material));
        } finally {
            Arrays.fill(material, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
