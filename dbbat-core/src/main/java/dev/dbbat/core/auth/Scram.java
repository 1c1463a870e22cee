package dev.dbbat.core.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 arithmetic (RFC 5802, RFC 7677) with JDK primitives only. Stateless and thread-safe.
 *
 * <p>Passwords are used as their UTF-8 bytes (PostgreSQL does the same when SASLprep does not apply).
 */
public final class Scram {
    /** Iteration count PostgreSQL uses by default ({@code scram_iterations}). */
    public static final int DEFAULT_ITERATIONS = 4096;

    private Scram() {}

    /** SaltedPassword := Hi(password, salt, i), i.e. PBKDF2-HMAC-SHA-256 with a 32-byte output. */
    public static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        byte[] passwordBytes = utf8(password);
        try {
            Mac mac = hmac(passwordBytes);
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /** Computes the verifier of {@code password} under {@code salt}/{@code iterations}. */
    public static ScramCredentials.Verifier verifier(String credentialId, char[] password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        try {
            byte[] clientKey = hmac(salted, "Client Key");
            return new ScramCredentials.Verifier(credentialId, sha256(clientKey), hmac(salted, "Server Key"));
        } finally {
            Arrays.fill(salted, (byte) 0);
        }
    }

    /** ClientKey := HMAC(SaltedPassword, "Client Key"). */
    public static byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Client Key");
    }

    /**
     * Checks a client proof against a verifier: ClientKey = proof XOR HMAC(StoredKey, AuthMessage), and the proof
     * holds when H(ClientKey) equals StoredKey. Constant time in the key comparison.
     */
    public static boolean proofMatches(ScramCredentials.Verifier verifier, byte[] authMessage, byte[] clientProof) {
        byte[] signature = hmac(verifier.storedKey(), authMessage);
        if (signature.length != clientProof.length) {
            return false;
        }
        byte[] clientKey = new byte[signature.length];
        for (int i = 0; i < signature.length; i++) {
            clientKey[i] = (byte) (clientProof[i] ^ signature[i]);
        }
        return MessageDigest.isEqual(sha256(clientKey), verifier.storedKey());
    }

    /** ServerSignature := HMAC(ServerKey, AuthMessage). */
    public static byte[] serverSignature(ScramCredentials.Verifier verifier, byte[] authMessage) {
        return hmac(verifier.serverKey(), authMessage);
    }

    /** ClientProof := ClientKey XOR HMAC(H(ClientKey), AuthMessage), for the client side of an exchange. */
    public static byte[] clientProof(byte[] saltedPassword, byte[] authMessage) {
        byte[] clientKey = clientKey(saltedPassword);
        byte[] signature = hmac(sha256(clientKey), authMessage);
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= signature[i];
        }
        return clientKey;
    }

    /** HMAC-SHA-256 of a UTF-8 string. */
    public static byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA-256. */
    public static byte[] hmac(byte[] key, byte[] data) {
        return hmac(key).doFinal(data);
    }

    /** SHA-256. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] result = new byte[encoded.remaining()];
        encoded.get(result);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return result;
    }
}
