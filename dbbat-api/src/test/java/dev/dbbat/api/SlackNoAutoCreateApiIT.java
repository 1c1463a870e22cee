package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.FakeSlackProvider.profile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.FakeSlackProvider;
import dev.dbbat.api.testing.Http;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slack sign-in with auto-creation off: only linked or email-named users get in. */
class SlackNoAutoCreateApiIT {
    static final FakeSlackProvider SLACK = new FakeSlackProvider(value -> SlackNoAutoCreateApiIT.API.secret(value));

    @RegisterExtension
    static final ApiHarness API = new ApiHarness("test", config -> config.withSlackAuth(
            SlackAuth.of("client-id-456", "another-slack-secret")
                    .withEndpoints(SLACK.authorizeUrl(), SLACK.tokenUrl(), SLACK.userInfoUrl())
                    .withAutoCreateUsers(false, "connector")));

    @AfterAll
    static void stopProvider() {
        SLACK.close();
    }

    @Test
    void anUnknownSlackUserIsNotLinked() {
        URI landing = signIn(profile("U0STRANGER", "Stranger", "stranger@example.com", "T1"));
        assertThat(landing.getPath()).isEqualTo("/app/login");
        assertThat(landing.getQuery()).isEqualTo("error=OAUTH_USER_NOT_LINKED");
        assertThat(API.one("SELECT count(*) AS n FROM users WHERE username LIKE 'stranger%'")).containsEntry("n", 0L);
        assertThat(API.one("SELECT count(*) AS n FROM user_identities WHERE provider_id = 'U0STRANGER'")).containsEntry("n", 0L);
    }

    @Test
    void anUnverifiedEmailDoesNotLink() {
        assertThat(API.http().post("/api/v1/users", ADMIN, Map.of("username", "eve@example.com",
                "password", API.secret("eve-initial-pw"))).status()).isEqualTo(200);
        Map<String, Object> profile = profile("U0EVE", "Eve", "eve@example.com", "T1");
        profile.put("email_verified", false);
        assertThat(signIn(profile).getQuery()).isEqualTo("error=OAUTH_USER_NOT_LINKED");
    }

    @Test
    void aUserNamedByTheEmailIsStillLinked() {
        assertThat(API.http().post("/api/v1/users", ADMIN, Map.of("username", "bob@example.com",
                "password", API.secret("bob-initial-pw"), "roles", List.of("connector"))).status()).isEqualTo(200);
        URI landing = signIn(profile("U0BOB", "Bob", "bob@example.com", "T1"));
        assertThat(landing.getQuery()).startsWith("code=");
        Http.Response exchanged = API.http().post("/api/v1/auth/oauth/exchange", null,
                Map.of("code", API.secret(SlackAuthApiIT.query(landing).get("code"))));
        assertThat(exchanged.status()).isEqualTo(200);
        API.secret(exchanged.json().path("token").asText());
        assertThat(exchanged.json().path("user").path("username").asText()).isEqualTo("bob@example.com");
        assertThat(exchanged.json().path("user").path("password_change_required").asBoolean()).isTrue();
    }

    private URI signIn(Map<String, Object> profile) {
        Http.Response start = API.http().get("/api/v1/auth/slack", null);
        assertThat(start.status()).isEqualTo(302);
        String state = API.secret(SlackAuthApiIT.query(URI.create(start.header("Location"))).get("state"));
        assertThat(SlackAuthApiIT.query(URI.create(start.header("Location")))).doesNotContainKey("team");
        Http.Response callback = API.http().get("/api/v1/auth/slack/callback?code=" + SLACK.issueCode(profile)
                + "&state=" + state, null);
        assertThat(callback.status()).isEqualTo(302);
        return URI.create(callback.header("Location"));
    }
}
