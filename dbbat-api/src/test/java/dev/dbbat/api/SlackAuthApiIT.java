package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.FakeSlackProvider.profile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.FakeSlackProvider;
import dev.dbbat.api.testing.Http;
import dev.dbbat.api.testing.MutableClock;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slack sign-in end to end: a real server and store, Slack's endpoints played by {@link FakeSlackProvider}. */
class SlackAuthApiIT {
    static final String TEAM = "T0DBBAT";
    static final MutableClock CLOCK = new MutableClock();
    static final FakeSlackProvider SLACK = new FakeSlackProvider(value -> SlackAuthApiIT.API.secret(value));

    @RegisterExtension
    static final ApiHarness API = new ApiHarness("test", config -> config.withSlackAuth(
            SlackAuth.of("client-id-123", "slack-client-secret-xyz")
                    .withEndpoints(SLACK.authorizeUrl(), SLACK.tokenUrl(), SLACK.userInfoUrl())
                    .withTeamId(TEAM))).clock(CLOCK);

    private static final Map<String, String> FORWARDED =
            Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "dbbat.example.com");

    @AfterAll
    static void stopProvider() {
        SLACK.close();
    }

    private Http http() {
        return API.http();
    }

    @Test
    void providersListSlackWithItsStartUrl() {
        JsonNode providers = http().get("/api/v1/auth/providers", null).json().path("providers");
        assertThat(providers).hasSize(2);
        assertThat(providers.get(1).path("type").asText()).isEqualTo("slack");
        assertThat(providers.get(1).path("enabled").asBoolean()).isTrue();
        assertThat(providers.get(1).path("authorize_url").asText()).isEqualTo("/api/v1/auth/slack");
    }

    @Test
    void startRedirectsToSlackWithAStoredOneTimeState() {
        Http.Response response = http().get("/api/v1/auth/slack", null, FORWARDED);
        assertThat(response.status()).isEqualTo(302);
        URI location = URI.create(response.header("Location"));
        assertThat(location.getScheme() + "://" + location.getAuthority() + location.getPath())
                .isEqualTo(SLACK.authorizeUrl().toString());
        Map<String, String> query = query(location);
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "client-id-123")
                .containsEntry("scope", "openid email profile")
                .containsEntry("redirect_uri", "https://dbbat.example.com/api/v1/auth/slack/callback")
                .containsEntry("team", TEAM);
        assertThat(location.getRawQuery()).contains("scope=openid%20email%20profile");
        String state = API.secret(query.get("state"));
        assertThat(state).matches("[0-9a-f]{64}");
        Map<String, Object> row = API.one("SELECT provider, redirect_url, expires_at FROM oauth_states WHERE state = '"
                + state + "'");
        assertThat(row).containsEntry("provider", "slack")
                .containsEntry("redirect_url", "https://dbbat.example.com/api/v1/auth/slack/callback");
        Instant expires = ((java.sql.Timestamp) row.get("expires_at")).toInstant();
        assertThat(Duration.between(CLOCK.instant(), expires)).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    }

    @Test
    void callbackUrlFallsBackToTheRequestHost() {
        String redirectUri = query(URI.create(http().get("/api/v1/auth/slack", null).header("Location")))
                .get("redirect_uri");
        assertThat(redirectUri).matches("http://127\\.0\\.0\\.1:[0-9]+/api/v1/auth/slack/callback");
    }

    @Test
    void signInCreatesAUserAndHandsTheUiAnExchangeCodeNotAToken() {
        Map<String, Object> profile = profile("U0ADA", "Ada  Lovelace!", "ada@example.com", TEAM);
        URI landing = signIn(profile);
        assertThat(landing.getPath()).isEqualTo("/app/login");
        assertThat(landing.getQuery()).startsWith("code=").doesNotContain("token").doesNotContain("web_");
        String exchangeCode = API.secret(query(landing).get("code"));

        Http.Response exchanged = http().post("/api/v1/auth/oauth/exchange", null, Map.of("code", exchangeCode));
        assertThat(exchanged.status()).as(exchanged.toString()).isEqualTo(200);
        String token = API.secret(exchanged.json().path("token").asText());
        assertThat(token).startsWith("web_");
        assertThat(exchanged.json().path("expires_at").asText()).endsWith("Z");
        assertThat(exchanged.json().path("user").path("username").asText()).isEqualTo("ada.lovelace");
        assertThat(exchanged.json().path("user").path("roles").toString()).isEqualTo("[\"connector\"]");
        assertThat(exchanged.json().path("user").path("password_change_required").asBoolean()).isFalse();

        Http.Response me = http().get("/api/v1/auth/me", Http.bearer(token));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("auth_method").asText()).isEqualTo("web_session");
        String uid = me.json().path("uid").asText();
        Map<String, Object> identity = API.one("SELECT provider, provider_id, email, display_name,"
                + " metadata->>'sub' AS sub, metadata->>'https://slack.com/team_id' AS team FROM user_identities"
                + " WHERE user_id = '" + uid + "'");
        assertThat(identity).containsEntry("provider", "slack").containsEntry("provider_id", "U0ADA")
                .containsEntry("email", "ada@example.com").containsEntry("display_name", "Ada  Lovelace!")
                .containsEntry("sub", "U0ADA").containsEntry("team", TEAM);
        assertThat(API.one("SELECT password_changed_at IS NOT NULL AS changed FROM users WHERE uid = '" + uid + "'"))
                .containsEntry("changed", true);
        Map<String, Object> created = API.one("SELECT performed_by::text AS actor, details->>'provider' AS provider"
                + " FROM audit_log WHERE event_type = 'user.created' AND user_id = '" + uid + "'");
        assertThat(created).containsEntry("actor", uid).containsEntry("provider", "slack");
        Map<String, Object> login = API.one("SELECT performed_by::text AS actor, details->>'provider' AS provider,"
                + " details->>'username' AS username FROM audit_log WHERE event_type = 'auth.oauth_login'"
                + " AND user_id = '" + uid + "'");
        assertThat(login).containsEntry("actor", uid).containsEntry("provider", "slack")
                .containsEntry("username", "ada.lovelace");

        Map<String, String> tokenRequest = SLACK.tokenRequests().get(SLACK.tokenRequests().size() - 1);
        assertThat(tokenRequest).containsEntry("client_id", "client-id-123")
                .containsEntry("client_secret", "slack-client-secret-xyz")
                .containsEntry("redirect_uri", "https://dbbat.example.com/api/v1/auth/slack/callback");
    }

    @Test
    void aSecondSignInFindsTheLinkedIdentity() {
        Map<String, Object> profile = profile("U0GRACE", "Grace Hopper", "grace@example.com", TEAM);
        String first = exchange(signIn(profile)).path("user").path("uid").asText();
        profile.put("email", "grace.hopper@example.com");
        profile.put("name", "Rear Admiral Hopper");
        String second = exchange(signIn(profile)).path("user").path("uid").asText();
        assertThat(second).isEqualTo(first);
        assertThat(API.one("SELECT count(*) AS n FROM user_identities WHERE provider_id = 'U0GRACE'"))
                .containsEntry("n", 1L);
    }

    @Test
    void autoCreatedNamesGetARandomSuffixOnCollision() {
        JsonNode first = exchange(signIn(profile("U0DUP1", "Sam Smith", "sam1@example.com", TEAM)));
        JsonNode second = exchange(signIn(profile("U0DUP2", "Sam Smith", "sam2@example.com", TEAM)));
        assertThat(first.path("user").path("username").asText()).isEqualTo("sam.smith");
        assertThat(second.path("user").path("username").asText()).matches("sam\\.smith\\.[0-9a-f]{8}");
        JsonNode nameless = exchange(signIn(profile("U0NONAME", "!!!", "nobody@example.com", TEAM)));
        assertThat(nameless.path("user").path("username").asText()).matches("user(\\.[0-9a-f]{8})?");
        JsonNode longName = exchange(signIn(profile("U0LONG", "Maximilian Alexander Theodore von Habsburg",
                "max@example.com", TEAM)));
        assertThat(longName.path("user").path("username").asText()).isEqualTo("maximilian.alexander.theodore");
    }

    @Test
    void signInLinksTheUserWhoseUsernameIsTheEmail() {
        Http.Response created = http().post("/api/v1/users", ADMIN, Map.of("username", "linus@example.com",
                "password", API.secret("linus-initial-pw"), "roles", List.of("viewer")));
        assertThat(created.status()).isEqualTo(200);
        String uid = created.json().path("uid").asText();

        JsonNode session = exchange(signIn(profile("U0LINUS", "Linus T", "linus@example.com", TEAM)));
        assertThat(session.path("user").path("uid").asText()).isEqualTo(uid);
        assertThat(session.path("user").path("roles").toString()).isEqualTo("[\"viewer\"]");
        assertThat(API.one("SELECT user_id::text AS uid FROM user_identities WHERE provider_id = 'U0LINUS'"))
                .containsEntry("uid", uid);
        assertThat(API.one("SELECT count(*) AS n FROM audit_log WHERE event_type = 'user.identity_linked'"
                + " AND user_id = '" + uid + "'")).containsEntry("n", 1L);
    }

    @Test
    void aDeletedUserIsNotRecreatedBySigningInAgain() {
        Map<String, Object> profile = profile("U0GONE", "Gone Soon", "gone@example.com", TEAM);
        String uid = exchange(signIn(profile)).path("user").path("uid").asText();
        assertThat(http().delete("/api/v1/users/" + uid, ADMIN).status()).isEqualTo(200);
        assertThat(signIn(profile).getQuery()).isEqualTo("error=OAUTH_USER_NOT_LINKED");
        assertThat(API.one("SELECT count(*) AS n FROM users WHERE username LIKE 'gone.soon%' AND deleted_at IS NULL"))
                .containsEntry("n", 0L);
    }

    @Test
    void aStateWorksOnlyOnce() {
        String state = startState();
        String code = SLACK.issueCode(profile("U0ONCE", "Once", "once@example.com", TEAM));
        assertThat(callback("code=" + code + "&state=" + state).getQuery()).startsWith("code=");
        String replay = SLACK.issueCode(profile("U0ONCE", "Once", "once@example.com", TEAM));
        assertThat(callback("code=" + replay + "&state=" + state).getQuery()).isEqualTo("error=OAUTH_STATE_MISMATCH");
    }

    @Test
    void unknownOrMissingStatesAreRefused() {
        String code = SLACK.issueCode(profile("U0NOSTATE", "No State", "ns@example.com", TEAM));
        assertThat(callback("code=" + code + "&state=" + "ab".repeat(32)).getQuery())
                .isEqualTo("error=OAUTH_STATE_MISMATCH");
        assertThat(callback("code=" + code).getQuery()).isEqualTo("error=OAUTH_STATE_MISMATCH");
        assertThat(SLACK.tokenRequests()).noneMatch(form -> code.equals(form.get("code")));
    }

    @Test
    void anExpiredStateIsRefusedAndDeleted() {
        String state = startState();
        CLOCK.advance(Duration.ofMinutes(11));
        String code = SLACK.issueCode(profile("U0LATE", "Late", "late@example.com", TEAM));
        assertThat(callback("code=" + code + "&state=" + state).getQuery()).isEqualTo("error=OAUTH_STATE_MISMATCH");
        assertThat(API.one("SELECT count(*) AS n FROM oauth_states WHERE state = '" + state + "'"))
                .containsEntry("n", 0L);
    }

    @Test
    void aProviderErrorIsReportedAndConsumesTheState() {
        String state = startState();
        assertThat(callback("error=access_denied&state=" + state).getQuery()).isEqualTo("error=OAUTH_PROVIDER_ERROR");
        assertThat(API.one("SELECT count(*) AS n FROM oauth_states WHERE state = '" + state + "'"))
                .containsEntry("n", 0L);
    }

    @Test
    void aRefusedCodeExchangeFails() {
        assertThat(callback("code=" + API.secret("code-never-issued") + "&state=" + startState()).getQuery())
                .isEqualTo("error=OAUTH_FAILED");
    }

    @Test
    void aFailingTokenEndpointFails() {
        String code = SLACK.issueCode(profile("U0DOWN", "Down", "down@example.com", TEAM));
        SLACK.tokenEndpointStatus(503);
        try {
            assertThat(callback("code=" + code + "&state=" + startState()).getQuery()).isEqualTo("error=OAUTH_FAILED");
        } finally {
            SLACK.tokenEndpointStatus(200);
        }
    }

    @Test
    void aMemberOfAnotherWorkspaceIsRefused() {
        URI landing = signIn(profile("U0OTHER", "Other Team", "other@example.com", "T0ELSEWHERE"));
        assertThat(landing.getQuery()).isEqualTo("error=OAUTH_FAILED");
        assertThat(API.one("SELECT count(*) AS n FROM user_identities WHERE provider_id = 'U0OTHER'"))
                .containsEntry("n", 0L);
    }

    @Test
    void anExchangeCodeWorksOnce() {
        String exchangeCode = API.secret(query(signIn(profile("U0EX1", "Ex One", "ex1@example.com", TEAM)))
                .get("code"));
        assertThat(http().post("/api/v1/auth/oauth/exchange", null, Map.of("code", exchangeCode)).status())
                .isEqualTo(200);
        Http.Response replay = http().post("/api/v1/auth/oauth/exchange", null, Map.of("code", exchangeCode));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void anExchangeCodeExpiresAfterSixtySeconds() {
        String exchangeCode = API.secret(query(signIn(profile("U0EX2", "Ex Two", "ex2@example.com", TEAM)))
                .get("code"));
        CLOCK.advance(Duration.ofSeconds(61));
        assertThat(http().post("/api/v1/auth/oauth/exchange", null, Map.of("code", exchangeCode)).status())
                .isEqualTo(401);
    }

    @Test
    void exchangeRequiresACode() {
        Http.Response response = http().post("/api/v1/auth/oauth/exchange", null, Map.of());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(http().post("/api/v1/auth/oauth/exchange", null, Map.of("code", "nope")).status()).isEqualTo(401);
    }

    @Test
    void noSecretReachesLogsOrAuditSoFar() {
        exchange(signIn(profile("U0SCAN", "Scan Me", "scan@example.com", TEAM)));
        API.assertNoSecretLeaked();
    }

    private JsonNode exchange(URI landing) {
        assertThat(landing.getQuery()).as(landing.toString()).startsWith("code=");
        Http.Response response = http().post("/api/v1/auth/oauth/exchange", null,
                Map.of("code", API.secret(query(landing).get("code"))));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        API.secret(response.json().path("token").asText());
        return response.json();
    }

    private URI signIn(Map<String, Object> profile) {
        String state = startState();
        return callback("code=" + SLACK.issueCode(profile) + "&state=" + state);
    }

    private String startState() {
        Http.Response response = http().get("/api/v1/auth/slack", null, FORWARDED);
        assertThat(response.status()).isEqualTo(302);
        return API.secret(query(URI.create(response.header("Location"))).get("state"));
    }

    private URI callback(String query) {
        Http.Response response = http().get("/api/v1/auth/slack/callback?" + query, null, FORWARDED);
        assertThat(response.status()).as(response.toString()).isEqualTo(302);
        return URI.create(response.header("Location"));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> result = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return result;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }

    @SuppressWarnings("unused")
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static UUID uuid(JsonNode node) {
        return UUID.fromString(node.asText());
    }
}
