package dev.dbbat.api.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OAuthUserResolverTest {
    @Test
    void derivesUsernamesFromDisplayNames() {
        assertThat(OAuthUserResolver.usernameFrom("Ada Lovelace")).isEqualTo("ada.lovelace");
        assertThat(OAuthUserResolver.usernameFrom("  Jean-Luc\tPicard_2 ")).isEqualTo("jean-luc.picard_2");
        assertThat(OAuthUserResolver.usernameFrom("Zoë O'Brien")).isEqualTo("zo.obrien");
        assertThat(OAuthUserResolver.usernameFrom("山田 太郎")).isEqualTo("user");
        assertThat(OAuthUserResolver.usernameFrom("")).isEqualTo("user");
        assertThat(OAuthUserResolver.usernameFrom("a".repeat(40))).hasSize(30);
    }
}
