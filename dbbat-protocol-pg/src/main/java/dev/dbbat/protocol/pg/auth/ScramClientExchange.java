package dev.dbbat.protocol.pg.auth;

import dev.dbbat.core.auth.Scram;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The client side of a SCRAM-SHA-256 exchange with an upstream PostgreSQL (no channel binding: gs2 header
 * {@code n,,}). Single-threaded.
 */
public final class ScramClientExchange {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GS2_HEADER = "n,,";

    private final char[] password;
    private final String clientNonce;
    private final String clientFirstBare;
    private byte[] saltedPassword;
    private byte[] authMessage;

    public ScramClientExchange(String password) {
        this.password = password.toCharArray();
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        this.clientNonce = Base64.getEncoder().encodeToString(random);
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    /** The client-first-message. */
    public String clientFirst() {
        return GS2_HEADER + clientFirstBare;
    }

    /** Takes the server-first-message and returns the client-final-message. */
    public String clientFinal(String serverFirst) {
        String nonce = ScramServerExchange.attribute(serverFirst, 'r');
        if (!nonce.startsWith(clientNonce)) {
            throw new IllegalArgumentException("upstream SCRAM nonce does not extend ours");
        }
        byte[] salt = Base64.getDecoder().decode(ScramServerExchange.attribute(serverFirst, 's'));
        int iterations = Integer.parseInt(ScramServerExchange.attribute(serverFirst, 'i'));
        saltedPassword = SaltedPasswords.of(password, salt, iterations);
        Arrays.fill(password, '\0');
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] proof = Scram.clientProof(saltedPassword, authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Whether the server-final-message proves the upstream knows the password. */
    public boolean serverFinalValid(String serverFinal) {
        if (saltedPassword == null) {
            return false;
        }
        byte[] expected = Scram.hmac(Scram.hmac(saltedPassword, "Server Key"), authMessage);
        Arrays.fill(saltedPassword, (byte) 0);
        String signature;
        try {
            signature = ScramServerExchange.attribute(serverFinal, 'v');
        } catch (IllegalArgumentException ex) {
            return false;
        }
        return MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature));
    }
}
