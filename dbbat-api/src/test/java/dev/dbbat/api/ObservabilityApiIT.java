package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR;
import static dev.dbbat.api.testing.ApiHarness.VIEWER;
import static dev.dbbat.api.testing.ApiHarness.VIEWER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import dev.dbbat.core.UuidV7;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ObservabilityApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    static final List<UUID> QUERIES = new ArrayList<>();
    static UUID viewerConnection;
    static UUID connectorConnection;
    static UUID bigQuery;

    @BeforeAll
    static void recordSessions() {
        String connector = API.http().get("/api/v1/auth/me", CONNECTOR).json().path("uid").asText();
        String viewer = API.http().get("/api/v1/auth/me", VIEWER).json().path("uid").asText();
        String database = API.http().get("/api/v1/databases", ADMIN).json().path("databases").get(0).path("uid")
                .asText();
        connectorConnection = UuidV7.next();
        viewerConnection = UuidV7.next();
        API.store().jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO connections (uid, user_id, database_id, source_ip) VALUES (?, ?::uuid,"
                    + " ?::uuid, '10.0.0.1')", connectorConnection, connector, database);
            handle.execute("INSERT INTO connections (uid, user_id, database_id, source_ip) VALUES (?, ?::uuid,"
                    + " ?::uuid, '10.0.0.2')", viewerConnection, viewer, database);
            for (int i = 0; i < 25; i++) {
                UUID uid = UuidV7.next();
                QUERIES.add(uid);
                handle.execute("INSERT INTO queries (uid, connection_id, sql_text, executed_at) VALUES (?, ?,"
                        + " ?, now())", uid, connectorConnection, "SELECT " + i);
            }
            bigQuery = QUERIES.get(24);
            for (int row = 1; row <= 30; row++) {
                String data = "{\"n\":" + row + ",\"pad\":\"" + "x".repeat(100_000) + "\"}";
                handle.execute("INSERT INTO query_rows (uid, query_id, row_number, row_data, row_size_bytes)"
                        + " VALUES (?, ?, ?, ?::jsonb, ?)", UuidV7.next(), bigQuery, row, data, data.length());
            }
        });
    }

    @Test
    void connectionsAreRestrictedForConnectors() {
        JsonNode all = API.http().get("/api/v1/connections", VIEWER_KEY).json().path("connections");
        assertThat(all.size()).isEqualTo(2);
        assertThat(all.get(0).path("uid").asText()).isEqualTo(viewerConnection.toString());
        assertThat(all.get(0).path("source_ip").asText()).isEqualTo("10.0.0.2");
        JsonNode own = API.http().get("/api/v1/connections", CONNECTOR).json().path("connections");
        assertThat(own.size()).isEqualTo(1);
        assertThat(own.get(0).path("uid").asText()).isEqualTo(connectorConnection.toString());
        assertThat(API.http().get("/api/v1/connections?before=" + viewerConnection, ADMIN).json()
                .path("connections").size()).isEqualTo(1);
    }

    @Test
    void getsOneConnectionForItsOwnerAdminsAndViewers() {
        String path = "/api/v1/connections/" + connectorConnection;
        assertThat(API.http().get(path, CONNECTOR).json().path("source_ip").asText()).isEqualTo("10.0.0.1");
        assertThat(API.http().get(path, ADMIN).json().path("uid").asText()).isEqualTo(connectorConnection.toString());
        assertThat(API.http().get(path, VIEWER_KEY).status()).isEqualTo(200);
        Http.Response foreign = API.http().get("/api/v1/connections/" + viewerConnection, CONNECTOR);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(API.http().get("/api/v1/connections/" + UUID.randomUUID(), ADMIN).status()).isEqualTo(404);
        assertThat(API.http().get("/api/v1/connections/not-a-uuid", ADMIN).status()).isEqualTo(400);
    }

    @Test
    void queriesPageWithKeysetCursorNewestFirst() {
        JsonNode first = API.http().get("/api/v1/queries?limit=10", ADMIN).json().path("queries");
        assertThat(first.size()).isEqualTo(10);
        assertThat(first.get(0).path("uid").asText()).isEqualTo(QUERIES.get(24).toString());
        String last = first.get(9).path("uid").asText();
        JsonNode second = API.http().get("/api/v1/queries?limit=10&before=" + last, ADMIN).json().path("queries");
        assertThat(second.get(0).path("uid").asText()).isEqualTo(QUERIES.get(14).toString());
        JsonNode third = API.http().get("/api/v1/queries?limit=10&before=" + second.get(9).path("uid").asText(),
                ADMIN).json().path("queries");
        assertThat(third.size()).isEqualTo(5);
        assertThat(API.http().get("/api/v1/queries?limit=0", ADMIN).json().path("queries").size()).isEqualTo(1);
        assertThat(API.http().get("/api/v1/queries?limit=100000", ADMIN).json().path("queries").size())
                .isEqualTo(25);
        assertThat(API.http().get("/api/v1/queries?limit=abc", ADMIN).json().path("queries").size()).isEqualTo(25);
        assertThat(API.http().get("/api/v1/queries?connection_id=" + viewerConnection, ADMIN).json()
                .path("queries").size()).isZero();
        assertThat(API.http().get("/api/v1/queries?before=garbage", ADMIN).status()).isEqualTo(400);
        assertThat(API.http().get("/api/v1/queries?start_time=yesterday", ADMIN).status()).isEqualTo(400);
        assertThat(API.http().get("/api/v1/queries", CONNECTOR).status()).isEqualTo(403);
    }

    @Test
    void getsOneQuery() {
        JsonNode query = API.http().get("/api/v1/queries/" + QUERIES.get(3), VIEWER).json();
        assertThat(query.path("sql_text").asText()).isEqualTo("SELECT 3");
        assertThat(query.has("copy_format")).isFalse();
        assertThat(API.http().get("/api/v1/queries/" + UUID.randomUUID(), ADMIN).status()).isEqualTo(404);
        assertThat(API.http().get("/api/v1/queries/xyz", ADMIN).status()).isEqualTo(400);
        assertThat(API.http().get("/api/v1/queries/" + QUERIES.get(3), CONNECTOR).status()).isEqualTo(403);
    }

    @Test
    void rowsArePagedByCursorWithinTheByteBudget() {
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response page = API.http().get("/api/v1/queries/" + bigQuery + "/rows?limit=25"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor,
                            java.nio.charset.StandardCharsets.UTF_8)), ADMIN);
            assertThat(page.status()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.path("total_rows").asLong()).isEqualTo(30);
            assertThat(body.path("rows").size()).isBetween(1, 11);
            body.path("rows").forEach(row -> seen.add(row.path("row_data").path("n").asInt()));
            cursor = body.path("has_more").asBoolean() ? body.path("next_cursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(30).isSorted();
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(API.http().get("/api/v1/queries/" + bigQuery + "/rows?limit=0", ADMIN).status()).isEqualTo(400);
        assertThat(API.http().get("/api/v1/queries/" + bigQuery + "/rows?limit=1001", ADMIN).status())
                .isEqualTo(400);
        assertThat(API.http().get("/api/v1/queries/" + bigQuery + "/rows?cursor=!!!", ADMIN).status()).isEqualTo(400);
        assertThat(API.http().get("/api/v1/queries/" + UUID.randomUUID() + "/rows", ADMIN).status()).isEqualTo(404);
        JsonNode empty = API.http().get("/api/v1/queries/" + QUERIES.get(0) + "/rows", ADMIN).json();
        assertThat(empty.path("rows").size()).isZero();
        assertThat(empty.path("has_more").asBoolean()).isFalse();
        assertThat(empty.has("next_cursor")).isFalse();
    }

    @Test
    void auditIsReadOnlyAndFilterable() {
        API.http().post("/api/v1/users", ADMIN, java.util.Map.of("username", "audited", "password", "x"));
        JsonNode events = API.http().get("/api/v1/audit?event_type=user.created", VIEWER).json()
                .path("audit_events");
        assertThat(events).isNotEmpty().allMatch(e -> e.path("event_type").asText().equals("user.created"));
        assertThat(events.get(0).path("performed_by").asText()).isNotEmpty();
        assertThat(API.http().get("/api/v1/audit", CONNECTOR).status()).isEqualTo(403);
        assertThat(API.http().send("POST", "/api/v1/audit", ADMIN, "{}").status()).isEqualTo(404);
        assertThat(API.http().get("/api/v1/audit?performed_by=nope", ADMIN).status()).isEqualTo(400);
    }
}
