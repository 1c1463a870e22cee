package dev.dbbat.protocol.pg.auth;

import dev.dbbat.core.auth.Scram;
import dev.dbbat.core.auth.ScramCredentials;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802/7677, as PostgreSQL runs it: the user name comes from the
 * startup packet, no channel binding). Checks the client's proof against each verifier of the user, so a password
 * and any API key work alike; an unknown user has a fake salt and no verifiers, and fails the same way.
 *
 * <p>Single-threaded: used on the session's event loop.
 *
 * @see <a href="https://www.postgresql.org/docs/current/sasl-authentication.html">SASL Authentication</a>
 */
public final class ScramServerExchange {
    /** The mechanism name. */
    public static final String MECHANISM = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramCredentials credentials;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private String gs2Header;

    public ScramServerExchange(ScramCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * Takes the client-first-message and returns the server-first-message.
     *
     * @throws IllegalArgumentException when the message is malformed or asks for channel binding
     */
    public String serverFirst(String clientFirst) {
        if (clientFirst.startsWith("p=")) {
            throw new IllegalArgumentException("channel binding is not supported");
        }
        if (!clientFirst.startsWith("n,") && !clientFirst.startsWith("y,")) {
            throw new IllegalArgumentException("malformed SCRAM client-first-message");
        }
        int second = clientFirst.indexOf(',', 2);
        if (second < 0) {
            throw new IllegalArgumentException("malformed SCRAM client-first-message");
        }
        gs2Header = clientFirst.substring(0, second + 1);
        clientFirstBare = clientFirst.substring(second + 1);
        String clientNonce = attribute(clientFirstBare, 'r');
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        nonce = clientNonce + Base64.getEncoder().encodeToString(random);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt()) + ",i="
                + credentials.iterations();
        return serverFirst;
    }

    /**
     * Takes the client-final-message and returns the credential id whose verifier the proof matched, or empty.
     *
     * @throws IllegalArgumentException when the message is malformed or does not continue this exchange
     */
    public Optional<String> verify(String clientFinal) {
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new IllegalArgumentException("malformed SCRAM client-final-message");
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        String binding = attribute(withoutProof, 'c');
        String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!binding.equals(expectedBinding) || !attribute(withoutProof, 'r').equals(nonce)) {
            throw new IllegalArgumentException("SCRAM nonce or channel binding mismatch");
        }
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        byte[] authMessage = authMessage(withoutProof);
        for (ScramCredentials.Verifier each : credentials.verifiers()) {
            if (Scram.proofMatches(each, authMessage, proof)) {
                matched = each;
                lastAuthMessage = authMessage;
                return Optional.of(each.credentialId());
            }
        }
        return Optional.empty();
    }

    private ScramCredentials.Verifier matched;
    private byte[] lastAuthMessage;

    /** The server-final-message ({@code v=<signature>}) for the verifier that matched. */
    public String serverFinal() {
        if (matched == null) {
            throw new IllegalStateException("no verifier matched");
        }
        return "v=" + Base64.getEncoder().encodeToString(Scram.serverSignature(matched, lastAuthMessage));
    }

    private byte[] authMessage(String clientFinalWithoutProof) {
        return (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof).getBytes(StandardCharsets.UTF_8);
    }

    /** The value of attribute {@code name} in a comma-separated SCRAM message. */
    static String attribute(String message, char name) {
        for (String each : message.split(",")) {
            if (each.length() >= 2 && each.charAt(0) == name && each.charAt(1) == '=') {
                return each.substring(2);
            }
        }
        throw new IllegalArgumentException("SCRAM attribute missing: " + name);
    }
}
