package dev.dbbat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenApiParityIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    @Test
    void documentDescribesExactlyTheRegisteredRoutes() {
        Set<String> registered = new TreeSet<>();
        for (String route : API.server().routes()) {
            String path = route.substring(route.indexOf(' ') + 1);
            if (path.startsWith(ApiRoutes.PREFIX + "/")) {
                registered.add(route);
            }
        }
        assertThat(documented()).isEqualTo(registered);
        assertThat(registered).hasSizeGreaterThan(30);
    }

    @Test
    void everyDocumentedOperationIsAnsweredByTheServer() {
        for (String operation : documented()) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1)
                    .replaceAll("\\{[a-z]+}", UUID.randomUUID().toString());
            Http.Response response = API.http().send(method, path, null, "{}");
            assertThat(response.json().path("error").path("message").asText())
                    .as(operation).isNotEqualTo("route not found");
            assertThat(response.status()).as(operation).isNotEqualTo(500);
            if (securedInDocument(operation)) {
                assertThat(response.status()).as(operation + " without credentials").isEqualTo(401);
            } else {
                assertThat(response.status()).as(operation + " is public").isNotEqualTo(401);
            }
        }
    }

    @Test
    void documentIsValidOpenApiWithResolvableReferences() {
        JsonNode doc = document();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo("/api/v1");
        String text = doc.toString();
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z]+)")
                .matcher(text);
        while (refs.find()) {
            assertThat(doc.path("components").path("schemas").has(refs.group(1))).as(refs.group(1)).isTrue();
        }
    }

    @Test
    void swaggerUiIsServedWithoutACdn() {
        Http.Response page = API.http().get("/api/docs", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).doesNotContain("unpkg").doesNotContain("cdn").contains("/api/docs/swagger-ui-bundle.js");
        assertThat(API.http().get("/api/docs/swagger-ui-bundle.js", null).status()).isEqualTo(200);
        assertThat(API.http().get("/api/docs/swagger-ui.css", null).status()).isEqualTo(200);
        assertThat(API.http().get("/api/docs/dbbat-init.js", null).body()).contains("/api/openapi.json");
        assertThat(API.http().get("/api/docs/..%2F..%2Fpom.properties", null).status()).isEqualTo(404);
    }

    private static boolean securedInDocument(String operation) {
        String method = operation.substring(0, operation.indexOf(' ')).toLowerCase(Locale.ROOT);
        String path = operation.substring(operation.indexOf(' ') + 1).substring(ApiRoutes.PREFIX.length());
        JsonNode security = document().path("paths").path(path).path(method).path("security");
        return security.isMissingNode() || !security.isEmpty();
    }

    private static JsonNode document() {
        Http.Response response = API.http().get("/api/openapi.json", null);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private static Set<String> documented() {
        Set<String> result = new TreeSet<>();
        JsonNode paths = document().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    result.add(method.toUpperCase(Locale.ROOT) + " " + ApiRoutes.PREFIX + path.getKey());
                }
            });
        }
        return result;
    }
}
