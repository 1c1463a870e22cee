package dev.dbbat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlackAuthTest {
    @Test
    void isDisabledWithoutAnyVariable() {
        assertThat(SlackAuth.fromEnv(Map.of())).isEmpty();
        assertThat(SlackAuth.fromEnv(Map.of("DBB_SLACK_AUTH_CLIENT_ID", " ", "DBB_SLACK_AUTH_TEAM_ID", "T1"))).isEmpty();
    }

    @Test
    void readsEveryVariableWithSeedDefaults() {
        SlackAuth slack = SlackAuth.fromEnv(Map.of("DBB_SLACK_AUTH_CLIENT_ID", "id",
                "DBB_SLACK_AUTH_CLIENT_SECRET", "s3cret")).orElseThrow();
        assertThat(slack.clientId()).isEqualTo("id");
        assertThat(slack.clientSecret()).isEqualTo("s3cret");
        assertThat(slack.teamId()).isEmpty();
        assertThat(slack.autoCreateUsers()).isTrue();
        assertThat(slack.defaultRole()).isEqualTo("connector");
        assertThat(slack.authorizeUrl()).isEqualTo(SlackAuth.DEFAULT_AUTHORIZE_URL);
        assertThat(slack.tokenUrl().toString()).isEqualTo("https://slack.com/api/openid.connect.token");
        assertThat(slack.userInfoUrl().toString()).isEqualTo("https://slack.com/api/openid.connect.userInfo");

        SlackAuth custom = SlackAuth.fromEnv(Map.of("DBB_SLACK_AUTH_CLIENT_ID", "id",
                "DBB_SLACK_AUTH_CLIENT_SECRET", "s3cret", "DBB_SLACK_AUTH_TEAM_ID", "T42",
                "DBB_SLACK_AUTH_AUTO_CREATE_USERS", "false", "DBB_SLACK_AUTH_DEFAULT_ROLE", "Viewer")).orElseThrow();
        assertThat(custom.teamId()).contains("T42");
        assertThat(custom.autoCreateUsers()).isFalse();
        assertThat(custom.defaultRole()).isEqualTo("viewer");
    }

    @Test
    void refusesHalfAConfigurationNamingTheMissingVariable() {
        assertThatThrownBy(() -> SlackAuth.fromEnv(Map.of("DBB_SLACK_AUTH_CLIENT_ID", "id")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("DBB_SLACK_AUTH_CLIENT_SECRET");
        assertThatThrownBy(() -> SlackAuth.fromEnv(Map.of("DBB_SLACK_AUTH_CLIENT_SECRET", "s3cret")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("DBB_SLACK_AUTH_CLIENT_ID")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void refusesInvalidRoleOrFlag() {
        Map<String, String> base = Map.of("DBB_SLACK_AUTH_CLIENT_ID", "id", "DBB_SLACK_AUTH_CLIENT_SECRET", "x");
        assertThatThrownBy(() -> SlackAuth.fromEnv(with(base, "DBB_SLACK_AUTH_DEFAULT_ROLE", "root")))
                .hasMessageContaining("DBB_SLACK_AUTH_DEFAULT_ROLE");
        assertThatThrownBy(() -> SlackAuth.fromEnv(with(base, "DBB_SLACK_AUTH_AUTO_CREATE_USERS", "maybe")))
                .hasMessageContaining("DBB_SLACK_AUTH_AUTO_CREATE_USERS");
    }

    @Test
    void neverShowsTheSecret() throws Exception {
        SlackAuth slack = SlackAuth.of("id", "top-secret-value");
        assertThat(dev.dbbat.store.internal.Json.write(slack)).doesNotContain("top-secret-value").contains("clientId");
        assertThat(slack.toString()).doesNotContain("top-secret-value").contains("id");
        assertThat(ApiConfig.defaults().withSlackAuth(slack).toString()).doesNotContain("top-secret-value");
        assertThat(ApiConfig.defaults().withSlackAuth(Optional.empty()).slackAuth()).isEmpty();
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        java.util.HashMap<String, String> result = new java.util.HashMap<>(base);
        result.put(key, value);
        return result;
    }
}
