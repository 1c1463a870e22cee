package dev.dbbat.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path home;

    private static byte[] key(int seed) {
        byte[] result = new byte[32];
        for (int i = 0; i < result.length; i++) {
            result[i] = (byte) (seed + i);
        }
        return result;
    }

    @Test
    void resolvesDbbKeyFirst() throws IOException {
        Path file = Files.write(home.resolve("raw.key"), key(7));
        String inline = Base64.getEncoder().encodeToString(key(1));

        MasterKey resolved = MasterKey.resolve(Map.of("DBB_KEY", inline, "DBB_KEYFILE", file.toString()), home);

        assertThat(resolved.bytes()).isEqualTo(key(1));
        assertThat(resolved.source()).isEqualTo("DBB_KEY");
        assertThat(home.resolve(".dbbat")).doesNotExist();
    }

    @Test
    void resolvesRawKeyFile() throws IOException {
        Path file = Files.write(home.resolve("raw.key"), key(7));

        MasterKey resolved = MasterKey.resolve(Map.of("DBB_KEYFILE", file.toString()), home);

        assertThat(resolved.bytes()).isEqualTo(key(7));
        assertThat(resolved.source()).isEqualTo("DBB_KEYFILE");
    }

    @Test
    void treatsBlankVariablesAsUnset() throws IOException {
        Path file = Files.write(home.resolve("raw.key"), key(9));

        MasterKey resolved = MasterKey.resolve(Map.of("DBB_KEY", " ", "DBB_KEYFILE", file.toString()), home);

        assertThat(resolved.bytes()).isEqualTo(key(9));
    }

    @Test
    void createsTheDefaultKeyFilePrivatelyAndReusesIt() throws IOException {
        MasterKey first = MasterKey.resolve(Map.of(), home);
        Path file = home.resolve(".dbbat/key");

        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(text).endsWith("\n");
        assertThat(Base64.getDecoder().decode(text.strip())).isEqualTo(first.bytes());

        MasterKey second = MasterKey.resolve(Map.of(), home);

        assertThat(second.bytes()).isEqualTo(first.bytes());
    }

    @Test
    void readsAnExistingDefaultKeyFileWithWhitespace() throws IOException {
        Files.createDirectories(home.resolve(".dbbat"));
        Files.writeString(home.resolve(".dbbat/key"), "  " + Base64.getEncoder().encodeToString(key(3)) + "\n\n");

        assertThat(MasterKey.resolve(Map.of(), home).bytes()).isEqualTo(key(3));
    }

    @Test
    void rejectsAShortDbbKeyNamingTheVariable() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> MasterKey.resolve(Map.of("DBB_KEY", shortKey), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DBB_KEY must be base64 of exactly 32 bytes (got 16)");
    }

    @Test
    void rejectsInvalidBase64WithoutEchoingIt() {
        assertThatThrownBy(() -> MasterKey.resolve(Map.of("DBB_KEY", "not*base64!secretish"), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DBB_KEY")
                .hasMessageNotContaining("secretish");
    }

    @Test
    void rejectsAKeyFileOfTheWrongLength() throws IOException {
        Path file = Files.write(home.resolve("raw.key"), new byte[31]);

        assertThatThrownBy(() -> MasterKey.resolve(Map.of("DBB_KEYFILE", file.toString()), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DBB_KEYFILE must contain exactly 32 raw bytes (got 31)");
    }

    @Test
    void hintsWhenTheKeyFileHoldsBase64() throws IOException {
        Path file = home.resolve("b64.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(key(1)));

        assertThatThrownBy(() -> MasterKey.resolve(Map.of("DBB_KEYFILE", file.toString()), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(got 44)")
                .hasMessageContaining("base64");
    }

    @Test
    void rejectsAMissingKeyFile() {
        assertThatThrownBy(() -> MasterKey.resolve(Map.of("DBB_KEYFILE", home.resolve("nope").toString()), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DBB_KEYFILE");
    }

    @Test
    void rejectsAMalformedDefaultKeyFileNamingThePath() throws IOException {
        Files.createDirectories(home.resolve(".dbbat"));
        Files.writeString(home.resolve(".dbbat/key"), Base64.getEncoder().encodeToString(new byte[8]));

        assertThatThrownBy(() -> MasterKey.resolve(Map.of(), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(".dbbat/key must be base64 of exactly 32 bytes (got 8)");
    }

    @Test
    void rejectsRawBytesOfTheWrongLength() {
        assertThatThrownBy(() -> MasterKey.of(new byte[33]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master key must be exactly 32 bytes (got 33)");
    }

    @Test
    void hidesTheKeyInToString() {
        MasterKey key = MasterKey.of(key(65));

        assertThat(key.toString()).contains("***").doesNotContain(Base64.getEncoder().encodeToString(key(65)));
    }

    @Test
    void readsAtMost33BytesOfADeviceKeyFile() {
        assertThatThrownBy(() -> MasterKey.resolve(Map.of("DBB_KEYFILE", "/dev/zero"), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DBB_KEYFILE must contain exactly 32 raw bytes (got more than 32)");
    }
}
