package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.ApiHarness.ADMIN_KEY;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR_KEY;
import static dev.dbbat.api.testing.ApiHarness.VIEWER;
import static dev.dbbat.api.testing.ApiHarness.VIEWER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiKeysApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    private Http http() {
        return API.http();
    }

    private JsonNode create(String auth, String name) {
        Http.Response created = http().post("/api/v1/keys", auth, Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        API.secret(created.json().path("key").asText());
        return created.json();
    }

    @Test
    void createsAKeyShownOnceThatAuthenticates() {
        JsonNode key = create(CONNECTOR, "laptop");
        String plaintext = key.path("key").asText();
        assertThat(plaintext).matches("dbb_[a-z0-9]{32}");
        assertThat(key.path("key_prefix").asText()).isEqualTo(plaintext.substring(0, 16));
        Http.Response me = http().get("/api/v1/auth/me", Http.bearer(plaintext));
        assertThat(me.json().path("auth_method").asText()).isEqualTo("api_key");

        JsonNode fetched = http().get("/api/v1/keys/" + key.path("id").asText(), CONNECTOR).json();
        assertThat(fetched.has("key")).isFalse();
        assertThat(fetched.path("key_type").asText()).isEqualTo("api");
        assertThat(fetched.toString()).doesNotContain(plaintext);
        Map<String, Object> row = API.one("SELECT scram_stored_key IS NOT NULL AS scram, key_hash FROM api_keys"
                + " WHERE id = '" + key.path("id").asText() + "'");
        assertThat(row.get("scram")).isEqualTo(true);
        assertThat(row.get("key_hash").toString()).startsWith("$argon2id$");
        String details = API.one("SELECT details::text AS d FROM audit_log WHERE event_type = 'api_key.created'"
                + " ORDER BY uid DESC LIMIT 1").get("d").toString();
        assertThat(details).contains("laptop").doesNotContain(plaintext);
    }

    @Test
    void apiKeysCannotCreateOrRevokeKeys() {
        Http.Response byKey = http().post("/api/v1/keys", ADMIN_KEY, Map.of("name", "nested"));
        assertThat(byKey.status()).isEqualTo(403);
        assertThat(byKey.json().path("error").path("message").asText())
                .isEqualTo("API keys cannot perform this operation");
        JsonNode key = create(VIEWER, "viewer-key");
        assertThat(http().delete("/api/v1/keys/" + key.path("id").asText(), VIEWER_KEY).status()).isEqualTo(403);
        assertThat(http().post("/api/v1/keys", ADMIN, Map.of()).status()).isEqualTo(400);
    }

    @Test
    void listsOwnKeysAndAdminsSeeAll() {
        create(CONNECTOR, "c1");
        create(VIEWER, "v1");
        JsonNode own = http().get("/api/v1/keys", CONNECTOR).json().path("keys");
        String connector = http().get("/api/v1/auth/me", CONNECTOR).json().path("uid").asText();
        assertThat(own).isNotEmpty().allMatch(k -> k.path("user_id").asText().equals(connector));
        JsonNode all = http().get("/api/v1/keys", ADMIN).json().path("keys");
        assertThat(all.size()).isGreaterThan(own.size());
        assertThat(all).allMatch(k -> k.path("key_type").asText().equals("api"));
        assertThat(http().get("/api/v1/keys?user_id=" + connector, ADMIN).json().path("keys").size())
                .isEqualTo(own.size());
        assertThat(http().get("/api/v1/keys?user_id=x", ADMIN).status()).isEqualTo(400);
    }

    @Test
    void revokesOnceAndRevokedKeysStopWorking() {
        JsonNode key = create(CONNECTOR, "to-revoke");
        String id = key.path("id").asText();
        assertThat(http().get("/api/v1/keys/" + id, VIEWER).status()).isEqualTo(403);
        assertThat(http().delete("/api/v1/keys/" + id, VIEWER).status()).isEqualTo(403);
        assertThat(http().delete("/api/v1/keys/" + id, CONNECTOR).status()).isEqualTo(204);
        assertThat(http().delete("/api/v1/keys/" + id, CONNECTOR).status()).isEqualTo(409);
        assertThat(http().delete("/api/v1/keys/" + UUID.randomUUID(), ADMIN).status()).isEqualTo(404);
        assertThat(http().get("/api/v1/auth/me", Http.bearer(key.path("key").asText())).status()).isEqualTo(401);
        assertThat(http().get("/api/v1/keys", CONNECTOR).json().path("keys").findValuesAsText("id")).doesNotContain(id);
        assertThat(http().get("/api/v1/keys?include_all=true", CONNECTOR).json().path("keys").findValuesAsText("id"))
                .contains(id);
        assertThat(API.one("SELECT count(*) AS n FROM audit_log WHERE event_type = 'api_key.revoked'").get("n"))
                .isEqualTo(1L);
    }

    @Test
    void expiredKeysAreRefusedAndUsageIsCounted() throws InterruptedException {
        Http.Response created = http().post("/api/v1/keys", CONNECTOR,
                Map.of("name", "short-lived", "expires_at", Instant.now().plusSeconds(1).toString()));
        String key = API.secret(created.json().path("key").asText());
        assertThat(http().get("/api/v1/auth/me", Http.bearer(key)).status()).isEqualTo(200);
        Thread.sleep(1500);
        assertThat(http().get("/api/v1/auth/me", Http.bearer(key)).status()).isEqualTo(401);

        for (int i = 0; i < 3; i++) {
            http().get("/api/v1/auth/me", CONNECTOR_KEY);
        }
        long deadline = System.currentTimeMillis() + 5000;
        long count = 0;
        while (System.currentTimeMillis() < deadline && count < 3) {
            count = (Long) API.one("SELECT request_count FROM api_keys WHERE key_prefix = 'dbb_connector_ke'")
                    .get("request_count");
            Thread.sleep(50);
        }
        assertThat(count).isGreaterThanOrEqualTo(3);
    }

    @Test
    void webSessionsAreNotListedAsKeys() {
        Http.Response login = http().post("/api/v1/auth/login", null,
                Map.of("username", "admin", "password", "admintest"));
        String token = API.secret(login.json().path("token").asText());
        assertThat(http().get("/api/v1/keys?include_all=true", ADMIN).json().path("keys").findValuesAsText("key_type"))
                .doesNotContain("web");
        assertThat(http().post("/api/v1/keys", Http.bearer(token), Map.of("name", "from-session")).status())
                .isEqualTo(201);
    }
}
