package dev.dbbat.protocol.pg.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.auth.Scram;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaltedPasswordsTest {
    private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void returnsWhatPbkdf2ReturnsFromTheCacheToo() {
        SaltedPasswords.clear();
        byte[] expected = Scram.saltedPassword("secret".toCharArray(), SALT, 4096);
        assertThat(SaltedPasswords.of("secret".toCharArray(), SALT, 4096)).isEqualTo(expected);
        byte[] cached = SaltedPasswords.of("secret".toCharArray(), SALT, 4096);
        assertThat(cached).isEqualTo(expected);
        cached[0] ^= 1; // callers wipe their copy: the cached value must not change
        assertThat(SaltedPasswords.of("secret".toCharArray(), SALT, 4096)).isEqualTo(expected);
    }

    @Test
    void keysOnPasswordSaltAndIterations() {
        SaltedPasswords.clear();
        byte[] base = SaltedPasswords.of("secret".toCharArray(), SALT, 4096);
        assertThat(SaltedPasswords.of("secreT".toCharArray(), SALT, 4096)).isNotEqualTo(base);
        assertThat(SaltedPasswords.of("secret".toCharArray(), "fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
                4096)).isNotEqualTo(base);
        assertThat(SaltedPasswords.of("secret".toCharArray(), SALT, 4097))
                .isEqualTo(Scram.saltedPassword("secret".toCharArray(), SALT, 4097)).isNotEqualTo(base);
    }
}
