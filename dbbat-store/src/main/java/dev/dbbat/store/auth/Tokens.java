package dev.dbbat.store.auth;

import java.security.SecureRandom;

/**
 * Bearer tokens: {@code dbb_} (API keys) or {@code web_} (web sessions) followed by 32 characters of {@code [a-z0-9]}
 * drawn from {@link SecureRandom} without modulo bias. The store keeps the Argon2id hash and the first
 * {@value #PREFIX_LENGTH} characters (12 random ones) as the lookup prefix. Thread-safe.
 */
public final class Tokens {
    public static final String API_KEY_PREFIX = "dbb_";
    public static final String WEB_SESSION_PREFIX = "web_";
    public static final int PREFIX_LENGTH = 16;
    private static final int RANDOM_LENGTH = 32;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /** A new API key, {@code dbb_…}. */
    public static String newApiKey() {
        return generate(API_KEY_PREFIX);
    }

    /** A new web session token, {@code web_…}. */
    public static String newWebSession() {
        return generate(WEB_SESSION_PREFIX);
    }

    private static String generate(String kind) {
        StringBuilder result = new StringBuilder(kind.length() + RANDOM_LENGTH).append(kind);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            result.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return result.toString();
    }

    /** The lookup prefix stored in {@code api_keys.key_prefix}: the first 16 characters (or the whole token). */
    public static String lookupPrefix(CharSequence token) {
        return token.subSequence(0, Math.min(PREFIX_LENGTH, token.length())).toString();
    }

    public static boolean looksLikeApiKey(char[] secret) {
        return startsWith(secret, API_KEY_PREFIX) && secret.length >= 8;
    }

    public static boolean looksLikeWebSession(char[] secret) {
        return startsWith(secret, WEB_SESSION_PREFIX);
    }

    private static boolean startsWith(char[] secret, String prefix) {
        if (secret.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (secret[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
