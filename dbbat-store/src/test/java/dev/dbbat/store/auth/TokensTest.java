package dev.dbbat.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {
    @Test
    void generatesPrefixedLowercaseAlphanumericTokens() {
        assertThat(Tokens.newApiKey()).matches("dbb_[a-z0-9]{32}");
        assertThat(Tokens.newWebSession()).matches("web_[a-z0-9]{32}");
    }

    @Test
    void lookupPrefixKeepsTwelveRandomCharacters() {
        String key = Tokens.newApiKey();
        assertThat(Tokens.lookupPrefix(key)).hasSize(16).isEqualTo(key.substring(0, 16));
        assertThat(Tokens.lookupPrefix("dbb_admin_key")).isEqualTo("dbb_admin_key");
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            prefixes.add(Tokens.lookupPrefix(Tokens.newApiKey()));
        }
        assertThat(prefixes).hasSize(10_000);
    }

    @Test
    void recognisesKinds() {
        assertThat(Tokens.looksLikeApiKey("dbb_admin_key".toCharArray())).isTrue();
        assertThat(Tokens.looksLikeApiKey("dbb_x".toCharArray())).isFalse();
        assertThat(Tokens.looksLikeWebSession("web_abc".toCharArray())).isTrue();
        assertThat(Tokens.looksLikeApiKey("password".toCharArray())).isFalse();
    }
}
