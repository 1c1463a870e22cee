package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static dev.dbbat.api.testing.ApiHarness.ADMIN_KEY;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR;
import static dev.dbbat.api.testing.ApiHarness.CONNECTOR_KEY;
import static dev.dbbat.api.testing.ApiHarness.VIEWER;
import static dev.dbbat.api.testing.ApiHarness.VIEWER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The role rules of behaviour §4.2, route by route: who is refused with 403 before anything else happens. Requests
 * use a random uid, so an allowed caller gets 400/404 (never 403 from the role check).
 */
class RoleMatrixApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    private static final String ID = UUID.randomUUID().toString();

    private record Route(String method, String path, List<String> refused) {}

    private static final List<Route> ROUTES = List.of(
            new Route("POST", "/users", List.of(VIEWER, CONNECTOR, VIEWER_KEY, CONNECTOR_KEY)),
            new Route("DELETE", "/users/" + ID, List.of(VIEWER, CONNECTOR, CONNECTOR_KEY)),
            new Route("POST", "/users/" + ID + "/reset-password", List.of(VIEWER, CONNECTOR, ADMIN_KEY)),
            new Route("POST", "/databases", List.of(VIEWER, CONNECTOR, VIEWER_KEY)),
            new Route("PUT", "/databases/" + ID, List.of(VIEWER, CONNECTOR, CONNECTOR_KEY)),
            new Route("DELETE", "/databases/" + ID, List.of(VIEWER, CONNECTOR)),
            new Route("POST", "/grants", List.of(VIEWER, CONNECTOR, CONNECTOR_KEY)),
            new Route("DELETE", "/grants/" + ID, List.of(VIEWER, CONNECTOR)),
            new Route("POST", "/keys", List.of(ADMIN_KEY, VIEWER_KEY, CONNECTOR_KEY)),
            new Route("DELETE", "/keys/" + ID, List.of(ADMIN_KEY, VIEWER_KEY, CONNECTOR_KEY)),
            new Route("GET", "/queries", List.of(CONNECTOR, CONNECTOR_KEY)),
            new Route("GET", "/queries/" + ID, List.of(CONNECTOR)),
            new Route("GET", "/queries/" + ID + "/rows", List.of(CONNECTOR)),
            new Route("GET", "/audit", List.of(CONNECTOR, CONNECTOR_KEY)));

    private static final List<String> EVERYONE = List.of(ADMIN, VIEWER, CONNECTOR, ADMIN_KEY, VIEWER_KEY,
            CONNECTOR_KEY);

    @Test
    void refusesExactlyTheCallersTheRoleRulesExclude() {
        for (Route route : ROUTES) {
            for (String caller : route.refused()) {
                Http.Response response = API.http().send(route.method(), "/api/v1" + route.path(), caller, "{}");
                assertThat(response.status()).as(route + " " + caller).isEqualTo(403);
                assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
            }
        }
    }

    @Test
    void adminsPassEveryRoleCheck() {
        for (Route route : ROUTES) {
            Http.Response response = API.http().send(route.method(), "/api/v1" + route.path(), ADMIN, "{}");
            assertThat(response.status()).as(route.toString()).isIn(200, 201, 400, 404);
        }
    }

    @Test
    void readRoutesAreOpenToEveryRole() {
        for (String path : List.of("/users", "/databases", "/grants", "/keys", "/connections", "/auth/me")) {
            for (String caller : EVERYONE) {
                assertThat(API.http().get("/api/v1" + path, caller).status()).as(path + " " + caller).isEqualTo(200);
            }
        }
    }
}
