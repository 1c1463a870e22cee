package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import dev.dbbat.api.testing.LogCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every secret-bearing route, then a scan of every captured log line and every audit row for the secrets. */
class SecretsApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    @Test
    void noPasswordKeyOrTokenReachesTheLogsOrTheAuditLog() {
        Http http = API.http();
        String userPassword = API.secret("S3cret-user-password");
        String uid = http.post("/api/v1/users", ADMIN, Map.of("username", "secretive", "password", userPassword))
                .json().path("uid").asText();
        http.put("/api/v1/auth/password", null, Map.of("username", "secretive", "current_password", userPassword,
                "new_password", API.secret("S3cret-changed-password")));
        http.put("/api/v1/users/" + uid + "/password", null, Map.of("current_password", "S3cret-changed-password",
                "new_password", API.secret("S3cret-changed-again")));
        http.put("/api/v1/users/" + uid, ADMIN, Map.of("password", API.secret("S3cret-admin-set")));
        http.post("/api/v1/users/" + uid + "/reset-password", ADMIN,
                Map.of("new_password", API.secret("S3cret-admin-reset")));
        String secretive = Http.basic("secretive", "S3cret-admin-reset");

        String token = API.secret(http.post("/api/v1/auth/login", null,
                Map.of("username", "secretive", "password", "S3cret-admin-reset")).json().path("token").asText());
        String key = API.secret(http.post("/api/v1/keys", Http.bearer(token), Map.of("name", "k")).json()
                .path("key").asText());
        http.get("/api/v1/auth/me", Http.bearer(key));
        http.get("/api/v1/auth/me", Http.bearer(API.secret("dbb_wrongkeywrongkeywrongkeywrongk")));
        http.get("/api/v1/auth/me", Http.basic("secretive", API.secret("S3cret-wrong-basic")));
        http.post("/api/v1/auth/login", null, Map.of("username", "secretive",
                "password", API.secret("S3cret-wrong-login")));
        http.post("/api/v1/auth/logout", Http.bearer(token), null);

        String database = http.post("/api/v1/databases", ADMIN, Map.of("name", "vault", "host", "vault.internal",
                "port", 5432, "database_name", "v", "username", "vault",
                "password", API.secret("S3cret-upstream-password"), "readonly_username", "ro",
                "readonly_password", API.secret("S3cret-upstream-readonly"))).json().path("uid").asText();
        http.put("/api/v1/databases/" + database, ADMIN, Map.of("password", API.secret("S3cret-upstream-rotated"),
                "readonly_password", API.secret("S3cret-readonly-rotated")));
        http.get("/api/v1/databases/" + database, secretive);

        List<String> events = API.store().jdbi().withHandle(handle -> handle
                .createQuery("SELECT DISTINCT event_type FROM audit_log").mapTo(String.class).list());
        assertThat(events).contains("user.created", "user.updated", "user.password_changed", "user.password_reset",
                "auth.login", "auth.logout", "api_key.created", "database.created", "database.updated");
        assertThat(LogCapture.lines()).isNotEmpty();
        API.assertNoSecretLeaked();
    }
}
