package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.ApiHarness.ADMIN_KEY;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR;
import static dev.dbbat.api.testing.ApiHarness.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import dev.dbbat.store.crypto.CredentialCipher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DatabasesApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    private Http http() {
        return API.http();
    }

    private Map<String, Object> body(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("host", "db.example.org");
        body.put("port", 5432);
        body.put("database_name", "app");
        body.put("username", "app_user");
        body.put("password", API.secret("upstream-" + name + "-pw"));
        return body;
    }

    @Test
    void createsADatabaseWithEncryptedPasswordNeverReturned() {
        Map<String, Object> body = body("orders");
        body.put("readonly_username", "app_ro");
        body.put("readonly_password", API.secret("readonly-orders-pw"));
        Http.Response created = http().post("/api/v1/databases", ADMIN, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode db = created.json();
        assertThat(db.path("protocol").asText()).isEqualTo("postgresql");
        assertThat(db.path("ssl_mode").asText()).isEqualTo("prefer");
        assertThat(db.path("has_readonly_credential").asBoolean()).isTrue();
        assertThat(created.body()).doesNotContain("upstream-orders-pw").doesNotContain("readonly-orders-pw")
                .doesNotContain("password");

        UUID uid = UUID.fromString(db.path("uid").asText());
        Map<String, Object> row = API.one("SELECT password_encrypted, readonly_password_encrypted FROM databases"
                + " WHERE uid = '" + uid + "'");
        assertThat(API.cipher().decrypt((byte[]) row.get("password_encrypted"), CredentialCipher.databaseAad(uid)))
                .isEqualTo("upstream-orders-pw");
        assertThat(API.cipher().decrypt((byte[]) row.get("readonly_password_encrypted"),
                CredentialCipher.databaseReadOnlyAad(uid))).isEqualTo("readonly-orders-pw");

        Http.Response fetched = http().get("/api/v1/databases/" + uid, ADMIN);
        assertThat(fetched.json().path("readonly_username").asText()).isEqualTo("app_ro");
        assertThat(http().post("/api/v1/databases", ADMIN, body("orders")).status()).isEqualTo(409);
    }

    @Test
    void validatesProtocolPortAndRequiredFields() {
        Map<String, Object> noPort = body("noport");
        noPort.remove("port");
        noPort.put("protocol", "mysql");
        Http.Response response = http().post("/api/v1/databases", ADMIN, noPort);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText()).contains("3306");

        Map<String, Object> badProtocol = body("badproto");
        badProtocol.put("protocol", "sqlserver");
        assertThat(http().post("/api/v1/databases", ADMIN, badProtocol).status()).isEqualTo(400);

        Map<String, Object> oracle = body("ora");
        oracle.put("protocol", "oracle");
        oracle.put("port", 1521);
        oracle.put("database_name", "FREEPDB1");
        Http.Response created = http().post("/api/v1/databases", ADMIN, oracle);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().path("oracle_service_name").asText()).isEqualTo("FREEPDB1");
        assertThat(created.json().path("has_readonly_credential").asBoolean()).isFalse();

        Map<String, Object> mariadb = body("maria");
        mariadb.put("protocol", "mariadb");
        assertThat(http().post("/api/v1/databases", ADMIN, mariadb).status()).isEqualTo(200);

        Map<String, Object> missing = body("missing");
        missing.remove("password");
        assertThat(http().post("/api/v1/databases", ADMIN, missing).status()).isEqualTo(400);
        Map<String, Object> wrongType = body("wrongtype");
        wrongType.put("port", "abc");
        assertThat(http().post("/api/v1/databases", ADMIN, wrongType).status()).isEqualTo(400);
        Map<String, Object> halfReadOnly = body("half");
        halfReadOnly.put("readonly_username", "ro");
        assertThat(http().post("/api/v1/databases", ADMIN, halfReadOnly).status()).isEqualTo(400);
    }

    @Test
    void refusesATargetThatIsTheStoreItself() {
        Map<String, Object> self = body("self");
        self.put("host", "LOCALHOST");
        self.put("port", API.dsn().port());
        self.put("database_name", API.dsn().database());
        Http.Response response = http().post("/api/v1/databases", ADMIN, self);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("TARGET_MATCHES_SELF");

        String uid = http().post("/api/v1/databases", ADMIN, body("movable")).json().path("uid").asText();
        Http.Response update = http().put("/api/v1/databases/" + uid, ADMIN,
                Map.of("host", "127.0.0.1", "port", API.dsn().port(), "database_name", API.dsn().database()));
        assertThat(update.errorCode()).isEqualTo("TARGET_MATCHES_SELF");
    }

    @Test
    void updatesPartiallyAndAuditsWithoutSecrets() {
        String uid = http().post("/api/v1/databases", ADMIN, body("billing")).json().path("uid").asText();
        Http.Response update = http().put("/api/v1/databases/" + uid, ADMIN, Map.of("description", "Billing",
                "password", API.secret("rotated-billing-pw"), "readonly_username", "ro",
                "readonly_password", API.secret("rotated-ro-pw")));
        assertThat(update.status()).isEqualTo(200);
        JsonNode db = http().get("/api/v1/databases/" + uid, ADMIN).json();
        assertThat(db.path("description").asText()).isEqualTo("Billing");
        assertThat(db.path("host").asText()).isEqualTo("db.example.org");
        assertThat(db.path("has_readonly_credential").asBoolean()).isTrue();
        assertThat(http().put("/api/v1/databases/" + uid, ADMIN, Map.of("readonly_username", "")).status())
                .isEqualTo(200);
        assertThat(http().get("/api/v1/databases/" + uid, ADMIN).json().path("has_readonly_credential").asBoolean())
                .isFalse();
        assertThat(http().put("/api/v1/databases/" + uid, ADMIN, Map.of("protocol", "db2")).status()).isEqualTo(400);
        assertThat(http().put("/api/v1/databases/" + UUID.randomUUID(), ADMIN, Map.of("description", "x")).status())
                .isEqualTo(404);
        assertThat(http().put("/api/v1/databases/" + uid, VIEWER, Map.of("description", "x")).status())
                .isEqualTo(403);
        String details = API.one("SELECT details::text AS d FROM audit_log WHERE event_type = 'database.updated'"
                + " ORDER BY uid LIMIT 1").get("d").toString();
        assertThat(details).contains("<changed>").contains("Billing").doesNotContain("rotated");
    }

    @Test
    void viewersAndConnectorsSeeALimitedShape() {
        http().post("/api/v1/databases", ADMIN, body("hidden"));
        JsonNode admin = http().get("/api/v1/databases", ADMIN).json().path("databases");
        assertThat(admin.get(0).has("host")).isTrue();
        JsonNode viewer = http().get("/api/v1/databases", VIEWER).json().path("databases");
        assertThat(viewer.size()).isEqualTo(admin.size());
        assertThat(viewer.get(0).has("host")).isFalse();
        JsonNode connector = http().get("/api/v1/databases", CONNECTOR).json().path("databases");
        assertThat(connector.size()).isEqualTo(1);
        assertThat(connector.get(0).path("name").asText()).isEqualTo("proxy_target");
        assertThat(connector.get(0).has("username")).isFalse();

        String hidden = http().get("/api/v1/databases", ADMIN).json().findValues("uid").stream()
                .map(JsonNode::asText)
                .filter(uid -> http().get("/api/v1/databases/" + uid, ADMIN).json().path("name").asText()
                        .equals("hidden"))
                .findFirst().orElseThrow();
        assertThat(http().get("/api/v1/databases/" + hidden, CONNECTOR).status()).isEqualTo(403);
        assertThat(http().get("/api/v1/databases/" + hidden, VIEWER).json().has("host")).isFalse();
        String target = connector.get(0).path("uid").asText();
        assertThat(http().get("/api/v1/databases/" + target, CONNECTOR).status()).isEqualTo(200);
    }

    @Test
    void softDeletesAndFreesTheName() {
        String uid = http().post("/api/v1/databases", ADMIN, body("temp")).json().path("uid").asText();
        assertThat(http().delete("/api/v1/databases/" + uid, CONNECTOR).status()).isEqualTo(403);
        assertThat(http().delete("/api/v1/databases/" + uid, ADMIN_KEY).status()).isEqualTo(200);
        assertThat(http().delete("/api/v1/databases/" + uid, ADMIN).status()).isEqualTo(404);
        assertThat(http().get("/api/v1/databases/" + uid, ADMIN).status()).isEqualTo(404);
        assertThat(http().delete("/api/v1/databases/zzz", ADMIN).status()).isEqualTo(400);
        assertThat(http().post("/api/v1/databases", ADMIN, body("temp")).status()).isEqualTo(200);
        assertThat(API.one("SELECT count(*) AS n FROM audit_log WHERE event_type = 'database.deleted'").get("n"))
                .isEqualTo(1L);
        assertThat(List.of(http().post("/api/v1/databases", VIEWER, body("v")).status(),
                http().post("/api/v1/databases", CONNECTOR, body("c")).status())).containsOnly(403);
    }
}
