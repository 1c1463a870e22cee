package dev.dbbat.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code oauth_states}: a one-time value (an OAuth {@code state}, or the hash of an exchange code) bound to a
 * provider, with an expiry. {@code toString()} omits the value.
 *
 * @param redirectUrl the callback URL sent to the provider, when recorded
 * @param metadata free-form JSON object (never a secret)
 */
public record OAuthState(
        UUID uid,
        String state,
        String provider,
        Optional<String> redirectUrl,
        Map<String, Object> metadata,
        Instant expiresAt,
        Instant createdAt) {

    public OAuthState {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(redirectUrl, "redirectUrl");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the state is still valid at {@code now}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "OAuthState[" + uid + " " + provider + " expires " + expiresAt + "]";
    }
}
