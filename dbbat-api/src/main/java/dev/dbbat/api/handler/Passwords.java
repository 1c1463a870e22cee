package dev.dbbat.api.handler;

import dev.dbbat.api.ApiException;
import dev.dbbat.store.User;
import dev.dbbat.store.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Passwords received by the handlers: the minimum length of a new one, and handing one to the store as a char array
 * that is wiped afterwards. Stateless.
 */
final class Passwords {
    static final int MIN_BYTES = 8;

    private Passwords() {}

    /** Throws 400 {@code WEAK_PASSWORD} when {@code password} has fewer than {@value #MIN_BYTES} UTF-8 bytes. */
    static void requireStrong(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            throw new ApiException(400, "WEAK_PASSWORD", "Password must be at least 8 characters");
        }
    }

    /** Sets {@code user}'s password and marks it changed (no length check). */
    static void set(Credentials credentials, User user, String password) {
        withChars(password, chars -> credentials.setPassword(user, chars, true));
    }

    /** Runs {@code action} on a char copy of {@code password}, zeroed when it returns or throws. */
    static <T> T withChars(String password, Function<char[], T> action) {
        char[] chars = password.toCharArray();
        try {
            return action.apply(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
