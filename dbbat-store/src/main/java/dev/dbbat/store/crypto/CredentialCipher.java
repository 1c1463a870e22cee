package dev.dbbat.store.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM encryption of stored secrets (behaviour §3.2): target database passwords and O5LOGON verifiers.
 *
 * <p>Blob layout: {@code nonce(12) || ciphertext || tag(16)}, the same as Go's {@code Seal} with the nonce
 * prepended. The nonce is random per encryption. The AAD binds a blob to its row ({@link #databaseAad(UUID)}), so a
 * ciphertext copied to another row does not decrypt.
 *
 * <p>Thread-safe: a {@link Cipher} is created per call.
 */
public final class CredentialCipher {
    /** GCM nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;
    /** GCM tag length in bytes. */
    public static final int TAG_LENGTH = 16;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public CredentialCipher(MasterKey masterKey) {
        this.key = Objects.requireNonNull(masterKey, "masterKey").aesKey();
    }

    /** AAD of a target database's password: {@code database:<uid>}. */
    public static String databaseAad(UUID databaseId) {
        return "database:" + Objects.requireNonNull(databaseId, "databaseId");
    }

    /** AAD of a target database's read-only credential password: {@code database-readonly:<uid>}. */
    public static String databaseReadOnlyAad(UUID databaseId) {
        return "database-readonly:" + Objects.requireNonNull(databaseId, "databaseId");
    }

    /** AAD of an API key's O5LOGON verifier: {@code apikey:<key prefix>}. */
    public static String apiKeyAad(String keyPrefix) {
        return "apikey:" + Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    /** Encrypts a UTF-8 string. */
    public byte[] encrypt(String plaintext, String aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            return encryptBytes(bytes, aad);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Decrypts a blob made by {@link #encrypt} with the same AAD.
     *
     * @throws DecryptionException when the blob was tampered with, is truncated, or the AAD (or key) differs
     */
    public String decrypt(byte[] blob, String aad) {
        byte[] bytes = decryptBytes(blob, aad);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException ex) {
            throw new DecryptionException("decrypted secret is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Encrypts raw bytes (e.g. an O5LOGON verifier). */
    public byte[] encryptBytes(byte[] plaintext, String aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] result = new byte[NONCE_LENGTH + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, result, 0, NONCE_LENGTH);
            cipher.doFinal(plaintext, 0, plaintext.length, result, NONCE_LENGTH);
            return result;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", ex);
        }
    }

    /**
     * Decrypts a blob made by {@link #encryptBytes} with the same AAD.
     *
     * @throws DecryptionException when the blob was tampered with, is truncated, or the AAD (or key) differs
     */
    public byte[] decryptBytes(byte[] blob, String aad) {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(aad, "aad");
        if (blob.length < NONCE_LENGTH + TAG_LENGTH) {
            throw new DecryptionException("encrypted secret too short: " + blob.length + " bytes (expected: >= "
                    + (NONCE_LENGTH + TAG_LENGTH) + ")");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, blob, 0, NONCE_LENGTH));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(blob, NONCE_LENGTH, blob.length - NONCE_LENGTH);
        } catch (AEADBadTagException ex) {
            throw new DecryptionException("encrypted secret failed authentication (wrong key, wrong AAD or tampered)");
        } catch (GeneralSecurityException ex) {
            throw new DecryptionException("cannot decrypt secret: " + ex.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "CredentialCipher[AES-256-GCM]";
    }

    /** A blob could not be decrypted. The message never contains key material or plaintext. */
    public static final class DecryptionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DecryptionException(String message) {
            super(message);
        }
    }
}
