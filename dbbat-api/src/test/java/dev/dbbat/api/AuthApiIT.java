package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.ApiHarness.ADMIN_KEY;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    private Http http() {
        return API.http();
    }

    @Test
    void healthAndVersionNeedNoAuthentication() {
        Http.Response health = http().get("/api/v1/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("healthy");

        Http.Response version = http().get("/api/v1/version", null);
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.json().path("api_version").asText()).isEqualTo("v1");
        assertThat(version.json().path("run_mode").asText()).isEqualTo("test");
        assertThat(version.json().has("build_commit")).isTrue();
    }

    @Test
    void providersListsPassword() {
        Http.Response response = http().get("/api/v1/auth/providers", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("providers").get(0).path("type").asText()).isEqualTo("password");
    }

    @Test
    void loginReturnsAWebSessionThatAuthenticatesAndLogoutRevokesIt() {
        Http.Response login = http().post("/api/v1/auth/login", null,
                Map.of("username", "admin", "password", "admintest"));
        assertThat(login.status()).isEqualTo(200);
        String token = API.secret(login.json().path("token").asText());
        assertThat(token).startsWith("web_").hasSize(36);
        assertThat(login.json().path("user").path("username").asText()).isEqualTo("admin");
        assertThat(login.json().path("user").path("password_change_required").asBoolean()).isFalse();
        assertThat(login.json().path("expires_at").asText()).endsWith("Z");

        Http.Response me = http().get("/api/v1/auth/me", Http.bearer(token));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("auth_method").asText()).isEqualTo("web_session");
        assertThat(me.json().path("session").path("expires_at").isTextual()).isTrue();

        assertThat(http().post("/api/v1/auth/logout", Http.bearer(token), null).status()).isEqualTo(204);
        Http.Response after = http().get("/api/v1/auth/me", Http.bearer(token));
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void meWithBasicAuthHasNoSession() {
        Http.Response me = http().get("/api/v1/auth/me", CONNECTOR);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("auth_method").asText()).isEqualTo("basic");
        assertThat(me.json().path("session").path("expires_at").isNull()).isTrue();
    }

    @Test
    void logoutWithAnApiKeyDoesNotRevokeIt() {
        assertThat(http().post("/api/v1/auth/logout", ADMIN_KEY, null).status()).isEqualTo(204);
        assertThat(http().get("/api/v1/auth/me", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIsRefused() {
        Http.Response response = http().post("/api/v1/auth/login", null,
                Map.of("username", "admin", "password", API.secret("wrong-password-1")));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void loginWithoutFieldsIsAValidationError() {
        Http.Response response = http().post("/api/v1/auth/login", null, Map.of("username", "admin"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(http().post("/api/v1/auth/login", null, "{not json").status()).isEqualTo(400);
        assertThat(http().post("/api/v1/auth/login", null, "{\"username\":1,\"password\":[]}").status())
                .isEqualTo(400);
    }

    @Test
    void missingAuthenticationAsksForBasic() {
        Http.Response response = http().get("/api/v1/users", null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Basic realm=\"DBBat\"");
        assertThat(http().get("/api/v1/users", Http.bearer("dbb_nonexistentkey000000000000000000")).status())
                .isEqualTo(401);
        assertThat(http().get("/api/v1/users", Http.basic("admin", "nope")).errorCode())
                .isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void newUserMustChangePasswordBeforeWebLogin() {
        Http.Response created = http().post("/api/v1/users", ADMIN,
                Map.of("username", "newbie", "password", API.secret("initial-pass-1"), "roles", new String[] {"connector"}));
        assertThat(created.status()).isEqualTo(200);
        String uid = created.json().path("uid").asText();

        Http.Response login = http().post("/api/v1/auth/login", null,
                Map.of("username", "newbie", "password", "initial-pass-1"));
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.errorCode()).isEqualTo("PASSWORD_CHANGE_REQUIRED");

        Http.Response weak = http().put("/api/v1/auth/password", null, Map.of("username", "newbie",
                "current_password", "initial-pass-1", "new_password", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.errorCode()).isEqualTo("WEAK_PASSWORD");

        Http.Response wrong = http().put("/api/v1/auth/password", null, Map.of("username", "newbie",
                "current_password", API.secret("not-the-pass-1"), "new_password", "whatever-long-1"));
        assertThat(wrong.status()).isEqualTo(401);

        Http.Response changed = http().put("/api/v1/auth/password", null, Map.of("username", "newbie",
                "current_password", "initial-pass-1", "new_password", API.secret("changed-pass-1")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("message").asText()).isEqualTo("Password changed successfully");

        Http.Response ok = http().post("/api/v1/auth/login", null,
                Map.of("username", "newbie", "password", "changed-pass-1"));
        assertThat(ok.status()).isEqualTo(200);
        API.secret(ok.json().path("token").asText());

        Http.Response viaUid = http().put("/api/v1/users/" + uid + "/password", null,
                Map.of("current_password", "changed-pass-1", "new_password", API.secret("changed-pass-2")));
        assertThat(viaUid.status()).isEqualTo(200);
        Http.Response byAdmin = http().put("/api/v1/users/" + uid + "/password", null, Map.of("username", "admin",
                "current_password", "admintest", "new_password", API.secret("changed-pass-3")));
        assertThat(byAdmin.status()).isEqualTo(200);
        Http.Response byOther = http().put("/api/v1/users/" + uid + "/password", null, Map.of("username", "viewer",
                "current_password", "viewer", "new_password", API.secret("changed-pass-4")));
        assertThat(byOther.status()).isEqualTo(403);
        assertThat(http().put("/api/v1/users/not-a-uuid/password", null, Map.of("current_password", "x",
                "new_password", "y")).status()).isEqualTo(400);

        assertThat(API.one("SELECT count(*) AS n FROM audit_log WHERE event_type = 'user.password_changed'")
                .get("n")).isEqualTo(3L);
    }
}
