package dev.dbbat.core.auth;

import java.util.List;
import java.util.Objects;

/**
 * SCRAM-SHA-256 material for one user name. All verifiers share the salt and iteration count, so a single
 * server-first message serves them all and the client's proof can be checked against each.
 *
 * @param available whether SCRAM can be used at all
 * @param salt the user's SCRAM salt
 * @param iterations the PBKDF2 iteration count
 * @param verifiers one per secret that may be used (the password, each valid API key); empty for unknown users
 */
public record ScramCredentials(boolean available, byte[] salt, int iterations, List<Verifier> verifiers) {

    private static final ScramCredentials UNAVAILABLE = new ScramCredentials(false, new byte[0], 0, List.of());

    public ScramCredentials {
        Objects.requireNonNull(salt, "salt");
        verifiers = List.copyOf(verifiers);
    }

    public static ScramCredentials unavailable() {
        return UNAVAILABLE;
    }

    /**
     * One SCRAM verifier (RFC 5802 §3).
     *
     * @param credentialId identifies the secret (e.g. {@code password} or {@code apikey:<uid>}), opaque to protocols
     * @param storedKey H(ClientKey)
     * @param serverKey HMAC(SaltedPassword, "Server Key")
     */
    public record Verifier(String credentialId, byte[] storedKey, byte[] serverKey) {
        public Verifier {
            Objects.requireNonNull(credentialId, "credentialId");
            Objects.requireNonNull(storedKey, "storedKey");
            Objects.requireNonNull(serverKey, "serverKey");
        }

        @Override
        public String toString() {
            return "Verifier[" + credentialId + "]";
        }
    }

    @Override
    public String toString() {
        return "ScramCredentials[available=" + available + ", iterations=" + iterations + ", verifiers="
                + verifiers.size() + "]";
    }
}
