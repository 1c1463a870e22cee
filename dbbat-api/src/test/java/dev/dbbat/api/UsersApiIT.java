package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.ApiHarness.ADMIN_KEY;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR_KEY;
import static dev.dbbat.api.testing.ApiHarness.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsersApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    private Http http() {
        return API.http();
    }

    private String createUser(String name, List<String> roles) {
        Http.Response created = http().post("/api/v1/users", ADMIN,
                Map.of("username", name, "password", API.secret("pw-" + name + "-secret"), "roles", roles));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json().path("uid").asText();
    }

    private String uidOf(String auth) {
        return http().get("/api/v1/auth/me", auth).json().path("uid").asText();
    }

    @Test
    void createsAUserWithDefaultRoleAndNeverReturnsTheHash() {
        Http.Response created = http().post("/api/v1/users", ADMIN,
                Map.of("username", "alice", "password", API.secret("alice-initial")));
        assertThat(created.status()).isEqualTo(200);
        JsonNode user = created.json();
        assertThat(user.path("roles").toString()).isEqualTo("[\"connector\"]");
        assertThat(user.path("password_change_required").asBoolean()).isTrue();
        assertThat(created.body()).doesNotContain("argon2").doesNotContain("password_hash").doesNotContain("scram");

        Map<String, Object> audit = API.one("SELECT user_id, performed_by, details::text AS details FROM audit_log"
                + " WHERE event_type = 'user.created' AND details->>'username' = 'alice'");
        assertThat(audit.get("user_id").toString()).isEqualTo(user.path("uid").asText());
        assertThat(audit.get("performed_by").toString()).isEqualTo(uidOf(ADMIN));
    }

    @Test
    void duplicateUsernameIsAConflictAndInvalidRolesAreRefused() {
        createUser("bob", List.of("viewer"));
        Http.Response duplicate = http().post("/api/v1/users", ADMIN, Map.of("username", "bob", "password", "x"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("DUPLICATE_NAME");
        Http.Response badRole = http().post("/api/v1/users", ADMIN,
                Map.of("username", "carol", "password", "x", "roles", List.of("superuser")));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(http().post("/api/v1/users", ADMIN, Map.of("username", "carol")).status()).isEqualTo(400);
        assertThat(http().post("/api/v1/users", ADMIN, "{\"username\":\"c\",\"password\":\"x\",\"roles\":\"admin\"}")
                .status()).isEqualTo(400);
    }

    @Test
    void onlyAdminsCreateUsers() {
        Map<String, Object> body = Map.of("username", "mallory", "password", "x");
        assertThat(http().post("/api/v1/users", VIEWER, body).status()).isEqualTo(403);
        assertThat(http().post("/api/v1/users", CONNECTOR, body).errorCode()).isEqualTo("FORBIDDEN");
        assertThat(http().post("/api/v1/users", ADMIN_KEY, Map.of("username", "by-key", "password", "x")).status())
                .isEqualTo(200);
    }

    @Test
    void listsEveryoneForAdminsAndViewersButOnlySelfForConnectors() {
        assertThat(http().get("/api/v1/users", ADMIN).json().path("users").size()).isGreaterThanOrEqualTo(3);
        assertThat(http().get("/api/v1/users", VIEWER).json().path("users").size()).isGreaterThanOrEqualTo(3);
        JsonNode own = http().get("/api/v1/users", CONNECTOR).json().path("users");
        assertThat(own.size()).isEqualTo(1);
        assertThat(own.get(0).path("username").asText()).isEqualTo("connector");
    }

    @Test
    void getsAUserWithOwnershipChecks() {
        String viewer = uidOf(VIEWER);
        assertThat(http().get("/api/v1/users/" + viewer, ADMIN).json().path("username").asText()).isEqualTo("viewer");
        assertThat(http().get("/api/v1/users/" + viewer, CONNECTOR).status()).isEqualTo(403);
        assertThat(http().get("/api/v1/users/" + uidOf(CONNECTOR), CONNECTOR).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/users/00000000-0000-0000-0000-000000000000", ADMIN).status()).isEqualTo(404);
        Http.Response bad = http().get("/api/v1/users/nope", ADMIN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("message").asText()).isEqualTo("invalid user UID");
    }

    @Test
    void updatesRolesAndPasswordWithRestrictions() {
        String uid = createUser("dave", List.of("connector"));
        Http.Response roles = http().put("/api/v1/users/" + uid, ADMIN, Map.of("roles", List.of("viewer", "connector")));
        assertThat(roles.status()).isEqualTo(200);
        assertThat(http().get("/api/v1/users/" + uid, ADMIN).json().path("roles").size()).isEqualTo(2);

        assertThat(http().put("/api/v1/users/" + uid, ADMIN, Map.of("roles", List.of())).status()).isEqualTo(400);
        assertThat(http().put("/api/v1/users/" + uid, ADMIN, Map.of("roles", List.of("root"))).status())
                .isEqualTo(400);
        assertThat(http().put("/api/v1/users/" + uid, CONNECTOR, Map.of("roles", List.of("admin"))).status())
                .isEqualTo(403);
        String self = uidOf(CONNECTOR);
        Http.Response strip = http().put("/api/v1/users/" + self, CONNECTOR, Map.of("roles", List.of()));
        assertThat(strip.status()).isEqualTo(403);
        Http.Response byKey = http().put("/api/v1/users/" + uid, ADMIN_KEY,
                Map.of("password", API.secret("via-key-password")));
        assertThat(byKey.status()).isEqualTo(403);
        assertThat(byKey.json().path("error").path("message").asText())
                .isEqualTo("password changes require password authentication");

        Http.Response password = http().put("/api/v1/users/" + uid, ADMIN,
                Map.of("password", API.secret("dave-new-password")));
        assertThat(password.status()).isEqualTo(200);
        assertThat(http().get("/api/v1/auth/me", Http.basic("dave", "dave-new-password")).status()).isEqualTo(200);

        String details = API.one("SELECT details::text AS d FROM audit_log WHERE event_type = 'user.updated'"
                + " AND details::text LIKE '%password%' ORDER BY uid DESC LIMIT 1").get("d").toString();
        assertThat(details).contains("<changed>").doesNotContain("dave-new-password");
    }

    @Test
    void softDeletesUsersAndTheirKeysStopWorking() {
        String uid = createUser("erin", List.of("connector"));
        String erin = Http.basic("erin", "pw-erin-secret");
        Http.Response key = http().post("/api/v1/keys", erin, Map.of("name", "erin-key"));
        assertThat(key.status()).isEqualTo(201);
        String token = API.secret(key.json().path("key").asText());
        assertThat(http().get("/api/v1/auth/me", Http.bearer(token)).status()).isEqualTo(200);

        assertThat(http().delete("/api/v1/users/" + uid, CONNECTOR).status()).isEqualTo(403);
        assertThat(http().delete("/api/v1/users/" + uid, ADMIN).status()).isEqualTo(200);
        assertThat(http().delete("/api/v1/users/" + uid, ADMIN).status()).isEqualTo(404);
        assertThat(http().get("/api/v1/users/" + uid, ADMIN).status()).isEqualTo(404);
        Http.Response after = http().get("/api/v1/auth/me", Http.bearer(token));
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().path("error").path("message").asText()).isEqualTo("user not found");
        assertThat(http().delete("/api/v1/users/" + uidOf(ADMIN), ADMIN).status()).isEqualTo(400);
        createUser("erin", List.of("connector"));
    }

    @Test
    void adminResetsPasswordsOnlyWithPasswordAuthentication() {
        String uid = createUser("frank", List.of("connector"));
        Map<String, Object> body = Map.of("new_password", API.secret("frank-reset-pw"));
        Http.Response byKey = http().post("/api/v1/users/" + uid + "/reset-password", ADMIN_KEY, body);
        assertThat(byKey.status()).isEqualTo(403);
        assertThat(http().post("/api/v1/users/" + uid + "/reset-password", CONNECTOR, body).status()).isEqualTo(403);
        assertThat(http().post("/api/v1/users/" + uid + "/reset-password", CONNECTOR_KEY, body).status())
                .isEqualTo(403);
        assertThat(http().post("/api/v1/users/" + uidOf(ADMIN) + "/reset-password", ADMIN, body).status())
                .isEqualTo(403);
        assertThat(http().post("/api/v1/users/" + uid + "/reset-password", ADMIN, Map.of("new_password", "short"))
                .errorCode()).isEqualTo("WEAK_PASSWORD");
        assertThat(http().post("/api/v1/users/00000000-0000-0000-0000-000000000001/reset-password", ADMIN, body)
                .status()).isEqualTo(404);
        Http.Response login = http().post("/api/v1/auth/login", null,
                Map.of("username", "frank", "password", "pw-frank-secret"));
        assertThat(login.status()).isEqualTo(403);
        http().put("/api/v1/auth/password", null, Map.of("username", "frank", "current_password", "pw-frank-secret",
                "new_password", API.secret("frank-own-password")));
        String session = API.secret(http().post("/api/v1/auth/login", null,
                Map.of("username", "frank", "password", "frank-own-password")).json().path("token").asText());
        assertThat(http().get("/api/v1/auth/me", Http.bearer(session)).status()).isEqualTo(200);
        assertThat(http().post("/api/v1/users/" + uid + "/reset-password", ADMIN, body).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/auth/me", Http.basic("frank", "frank-reset-pw")).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/auth/me", Http.bearer(session)).status()).as("sessions end on reset")
                .isEqualTo(401);
    }
}
