package dev.dbbat.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {
    private static final MasterKey KEY = MasterKey.of(new byte[32]);
    private final CredentialCipher cipher = new CredentialCipher(KEY);

    @Test
    void roundTripsAPassword() {
        UUID uid = UUID.randomUUID();
        byte[] blob = cipher.encrypt("s3cr3t-é-🔑", CredentialCipher.databaseAad(uid));

        assertThat(cipher.decrypt(blob, CredentialCipher.databaseAad(uid))).isEqualTo("s3cr3t-é-🔑");
    }

    @Test
    void laysOutNonceCiphertextAndTag() {
        byte[] blob = cipher.encrypt("abc", "database:x");

        assertThat(blob).hasSize(12 + 3 + 16);
        assertThat(new String(blob, StandardCharsets.ISO_8859_1)).doesNotContain("abc");
    }

    @Test
    void usesAFreshNonceEachTime() {
        assertThat(cipher.encrypt("same", "aad")).isNotEqualTo(cipher.encrypt("same", "aad"));
    }

    @Test
    void refusesAnotherRowsAad() {
        byte[] blob = cipher.encrypt("password", CredentialCipher.databaseAad(UUID.randomUUID()));

        assertThatThrownBy(() -> cipher.decrypt(blob, CredentialCipher.databaseAad(UUID.randomUUID())))
                .isInstanceOf(CredentialCipher.DecryptionException.class)
                .hasMessageNotContaining("password");
    }

    @Test
    void refusesTheReadOnlyAadForTheMainPassword() {
        UUID uid = UUID.randomUUID();
        byte[] blob = cipher.encrypt("pw", CredentialCipher.databaseAad(uid));

        assertThatThrownBy(() -> cipher.decrypt(blob, CredentialCipher.databaseReadOnlyAad(uid)))
                .isInstanceOf(CredentialCipher.DecryptionException.class);
    }

    @Test
    void refusesATamperedBlob() {
        byte[] blob = cipher.encrypt("password", "aad");
        for (int index : new int[] {0, 12, blob.length - 1}) {
            byte[] tampered = blob.clone();
            tampered[index] ^= 0x01;

            assertThatThrownBy(() -> cipher.decrypt(tampered, "aad"))
                    .isInstanceOf(CredentialCipher.DecryptionException.class);
        }
    }

    @Test
    void refusesATruncatedBlob() {
        assertThatThrownBy(() -> cipher.decrypt(new byte[27], "aad"))
                .isInstanceOf(CredentialCipher.DecryptionException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void refusesAnotherKey() {
        byte[] other = new byte[32];
        other[0] = 1;
        byte[] blob = cipher.encrypt("pw", "aad");

        assertThatThrownBy(() -> new CredentialCipher(MasterKey.of(other)).decrypt(blob, "aad"))
                .isInstanceOf(CredentialCipher.DecryptionException.class);
    }

    @Test
    void roundTripsBytes() {
        byte[] verifier = new byte[24];
        verifier[5] = 42;
        byte[] blob = cipher.encryptBytes(verifier, CredentialCipher.apiKeyAad("dbb_abcd"));

        assertThat(cipher.decryptBytes(blob, "apikey:dbb_abcd")).isEqualTo(verifier);
    }

    @Test
    void buildsAadStrings() {
        UUID uid = UUID.fromString("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");

        assertThat(CredentialCipher.databaseAad(uid)).isEqualTo("database:0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
        assertThat(CredentialCipher.databaseReadOnlyAad(uid))
                .isEqualTo("database-readonly:0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
    }
}
