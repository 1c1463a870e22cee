package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR_KEY;
import static dev.dbbat.api.testing.ApiHarness.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import dev.dbbat.core.UuidV7;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GrantsApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    private Http http() {
        return API.http();
    }

    private String uidOf(String auth) {
        return http().get("/api/v1/auth/me", auth).json().path("uid").asText();
    }

    private String targetUid() {
        return http().get("/api/v1/databases", ADMIN).json().path("databases").get(0).path("uid").asText();
    }

    private Map<String, Object> grant(String user, Instant start, Instant end) {
        Map<String, Object> body = new HashMap<>();
        body.put("user_id", user);
        body.put("database_id", targetUid());
        body.put("starts_at", start.toString());
        body.put("expires_at", end.toString());
        return body;
    }

    @Test
    void createsAGrantWithControlsAndQuotas() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> body = grant(uidOf(VIEWER), now, now.plus(1, ChronoUnit.DAYS));
        body.put("controls", List.of("read_only", "block_ddl"));
        body.put("max_query_counts", 100);
        body.put("max_bytes_transferred", 1_000_000);
        Http.Response created = http().post("/api/v1/grants", ADMIN, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode grant = created.json();
        assertThat(grant.path("controls").toString()).isEqualTo("[\"read_only\",\"block_ddl\"]");
        assertThat(grant.path("max_query_counts").asLong()).isEqualTo(100);
        assertThat(grant.path("query_count").asLong()).isZero();
        assertThat(grant.path("granted_by").asText()).isEqualTo(uidOf(ADMIN));
        assertThat(grant.path("revoked_at").isNull()).isTrue();
        assertThat(API.one("SELECT count(*) AS n FROM audit_log WHERE event_type = 'grant.created'"
                + " AND details->>'grant_uid' = '" + grant.path("uid").asText() + "'").get("n")).isEqualTo(1L);
    }

    @Test
    void refusesInvalidGrants() {
        Instant now = Instant.now();
        String viewer = uidOf(VIEWER);
        Map<String, Object> inverted = grant(viewer, now, now.minusSeconds(10));
        assertThat(http().post("/api/v1/grants", ADMIN, inverted).json().path("error").path("message").asText())
                .isEqualTo("starts_at must be before expires_at");
        Map<String, Object> control = grant(viewer, now, now.plusSeconds(60));
        control.put("controls", List.of("drop_everything"));
        assertThat(http().post("/api/v1/grants", ADMIN, control).status()).isEqualTo(400);
        Map<String, Object> unknownUser = grant(UUID.randomUUID().toString(), now, now.plusSeconds(60));
        assertThat(http().post("/api/v1/grants", ADMIN, unknownUser).status()).isEqualTo(400);
        Map<String, Object> badUuid = grant("nope", now, now.plusSeconds(60));
        assertThat(http().post("/api/v1/grants", ADMIN, badUuid).status()).isEqualTo(400);
        Map<String, Object> badTime = grant(viewer, now, now.plusSeconds(60));
        badTime.put("starts_at", "yesterday");
        assertThat(http().post("/api/v1/grants", ADMIN, badTime).status()).isEqualTo(400);
        Map<String, Object> negative = grant(viewer, now, now.plusSeconds(60));
        negative.put("max_query_counts", -1);
        assertThat(http().post("/api/v1/grants", ADMIN, negative).status()).isEqualTo(400);
        assertThat(http().post("/api/v1/grants", VIEWER, grant(viewer, now, now.plusSeconds(60))).status())
                .isEqualTo(403);
        assertThat(http().post("/api/v1/grants", CONNECTOR_KEY, grant(viewer, now, now.plusSeconds(60))).status())
                .isEqualTo(403);
    }

    @Test
    void listsWithFiltersAndRestrictsConnectorsToTheirOwn() {
        JsonNode all = http().get("/api/v1/grants", ADMIN).json().path("grants");
        assertThat(all.size()).isGreaterThanOrEqualTo(2);
        JsonNode own = http().get("/api/v1/grants?user_id=" + uidOf(VIEWER), CONNECTOR).json().path("grants");
        assertThat(own).allMatch(g -> g.path("user_id").asText().equals(uidOf(CONNECTOR)));
        JsonNode viewers = http().get("/api/v1/grants?user_id=" + uidOf(VIEWER), VIEWER).json().path("grants");
        assertThat(viewers).isNotEmpty().allMatch(g -> g.path("user_id").asText().equals(uidOf(VIEWER)));
        Instant future = Instant.now().plus(1, ChronoUnit.DAYS);
        http().post("/api/v1/grants", ADMIN, grant(uidOf(CONNECTOR), future, future.plus(1, ChronoUnit.DAYS)));
        JsonNode active = http().get("/api/v1/grants?active_only=true&user_id=" + uidOf(CONNECTOR), ADMIN).json()
                .path("grants");
        JsonNode every = http().get("/api/v1/grants?user_id=" + uidOf(CONNECTOR), ADMIN).json().path("grants");
        assertThat(active.size()).isEqualTo(every.size() - 1);
        assertThat(http().get("/api/v1/grants?database_id=" + targetUid(), ADMIN).json().path("grants").size())
                .isEqualTo(all.size() + 1);
        assertThat(http().get("/api/v1/grants?user_id=bad", ADMIN).status()).isEqualTo(400);
    }

    @Test
    void getsAndRevokesOnce() {
        Instant now = Instant.now();
        String uid = http().post("/api/v1/grants", ADMIN, grant(uidOf(VIEWER), now, now.plusSeconds(3600))).json()
                .path("uid").asText();
        assertThat(http().get("/api/v1/grants/" + uid, VIEWER).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/grants/" + uid, CONNECTOR).status()).isEqualTo(403);
        assertThat(http().get("/api/v1/grants/" + UUID.randomUUID(), ADMIN).status()).isEqualTo(404);
        assertThat(http().delete("/api/v1/grants/" + uid, VIEWER).status()).isEqualTo(403);
        assertThat(http().delete("/api/v1/grants/" + uid, ADMIN).status()).isEqualTo(200);
        Http.Response twice = http().delete("/api/v1/grants/" + uid, ADMIN);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(http().delete("/api/v1/grants/" + UUID.randomUUID(), ADMIN).status()).isEqualTo(404);
        JsonNode revoked = http().get("/api/v1/grants/" + uid, ADMIN).json();
        assertThat(revoked.path("revoked_by").asText()).isEqualTo(uidOf(ADMIN));
    }

    @Test
    void reportsLiveUsageOverTheGrantWindow() {
        String connector = uidOf(CONNECTOR);
        String database = targetUid();
        JsonNode grant = http().get("/api/v1/grants?active_only=true&user_id=" + connector, ADMIN).json()
                .path("grants").get(0);
        UUID connection = UuidV7.next();
        API.store().jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO connections (uid, user_id, database_id, source_ip, queries,"
                    + " bytes_transferred) VALUES (?, ?::uuid, ?::uuid, '127.0.0.1', 3, 4096)", connection, connector,
                    database);
            for (int i = 0; i < 3; i++) {
                handle.execute("INSERT INTO queries (uid, connection_id, sql_text, executed_at)"
                        + " VALUES (?, ?, 'SELECT 1', now())", UuidV7.next(), connection);
            }
        });
        JsonNode after = http().get("/api/v1/grants/" + grant.path("uid").asText(), CONNECTOR).json();
        assertThat(after.path("query_count").asLong()).isEqualTo(3);
        assertThat(after.path("bytes_transferred").asLong()).isEqualTo(4096);
    }
}
