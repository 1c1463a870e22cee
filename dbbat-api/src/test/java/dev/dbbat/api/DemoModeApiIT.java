package dev.dbbat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DemoModeApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness("demo", UnaryOperator.identity());

    private static final String ADMIN = Http.basic("admin", "admin");

    private Map<String, Object> database(String name, String host, String password) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("host", host);
        body.put("port", 5433);
        body.put("database_name", "demo");
        body.put("username", "demo");
        body.put("password", password);
        return body;
    }

    @Test
    void provisionsTheDemoDataWithAnUsableAdmin() {
        Http.Response login = API.http().post("/api/v1/auth/login", null,
                Map.of("username", "admin", "password", "admin"));
        assertThat(login.status()).isEqualTo(200);
        API.secret(login.json().path("token").asText());
        JsonNode databases = API.http().get("/api/v1/databases", ADMIN).json().path("databases");
        JsonNode demoDb = databases.get(0);
        assertThat(demoDb.path("name").asText()).isEqualTo("demo_db");
        assertThat(demoDb.path("host").asText()).isEqualTo("demo-host");
        assertThat(API.http().get("/api/v1/grants?database_id=" + demoDb.path("uid").asText(), ADMIN).json()
                .path("grants").size()).isEqualTo(2);
        assertThat(API.http().get("/api/v1/keys?include_all=true", ADMIN).json().path("keys").size()).isZero();
        assertThat(API.http().get("/api/v1/version", null).json().path("run_mode").asText()).isEqualTo("demo");
    }

    @Test
    void guardsTheAdminAndTheDemoDatabase() {
        String admin = API.http().get("/api/v1/users", ADMIN).json().path("users").findValues("username").stream()
                .filter(name -> name.asText().equals("admin")).findFirst().isPresent()
                ? API.http().get("/api/v1/auth/me", ADMIN).json().path("uid").asText() : null;
        API.http().post("/api/v1/users", ADMIN, Map.of("username", "second", "password", "second-admin-pw",
                "roles", java.util.List.of("admin")));
        API.secret("second-admin-pw");
        Http.Response deleteAdmin = API.http().delete("/api/v1/users/" + admin,
                Http.basic("second", "second-admin-pw"));
        assertThat(deleteAdmin.status()).isEqualTo(403);
        String demoDb = API.http().get("/api/v1/databases", ADMIN).json().path("databases").findValues("name")
                .stream().anyMatch(name -> name.asText().equals("demo_db"))
                ? API.http().get("/api/v1/databases", ADMIN).json().path("databases").get(0).path("uid").asText()
                : null;
        assertThat(API.http().delete("/api/v1/databases/" + demoDb, ADMIN).status()).isEqualTo(403);
    }

    @Test
    void onlyTheDemoTargetMayBeRegistered() {
        Http.Response other = API.http().post("/api/v1/databases", ADMIN,
                database("elsewhere", "evil-host", API.secret("demo-secret-pw")));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).doesNotContain("demo-secret-pw");
        Http.Response wrongPassword = API.http().post("/api/v1/databases", ADMIN,
                database("elsewhere", "demo-host", API.secret("other-password")));
        assertThat(wrongPassword.status()).isEqualTo(403);
        assertThat(API.http().post("/api/v1/databases", ADMIN, database("second_demo", "demo-host", "demo-secret-pw"))
                .status()).isEqualTo(200);
    }
}
