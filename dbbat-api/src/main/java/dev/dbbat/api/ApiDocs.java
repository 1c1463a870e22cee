package dev.dbbat.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 document at {@code /api/openapi.json} and a self-contained Swagger UI at {@code /api/docs}, its
 * assets served from the swagger-ui webjar (no CDN). Operations of features that are not configured (marked
 * {@code x-dbbat-requires}) are left out, so the served document always matches the live routes.
 */
final class ApiDocs {
    static final String DOCUMENT = "/dev/dbbat/api/openapi.json";
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>DBBat API</title>
              <link rel="stylesheet" href="/api/docs/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/api/docs/swagger-ui-bundle.js"></script>
              <script src="/api/docs/swagger-ui-standalone-preset.js"></script>
              <script src="/api/docs/dbbat-init.js"></script>
            </body>
            </html>
            """;
    private static final String INIT = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: "/api/openapi.json",
                dom_id: "#swagger-ui",
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                layout: "StandaloneLayout"
              });
            };
            """;

    private final byte[] document;
    private final String assetRoot;

    /** @param slackEnabled whether Slack sign-in is configured (its operations are dropped from the document if not) */
    ApiDocs(boolean slackEnabled) {
        this.document = slackEnabled ? read(DOCUMENT) : withoutOperationsRequiring("slack", read(DOCUMENT));
        this.assetRoot = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    }

    void configure(JavalinConfig config) {
        config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(document));
        config.routes.get("/api/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(PAGE));
        config.routes.get("/api/docs/{asset}", this::asset);
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("asset");
        if ("dbbat-init.js".equals(name)) {
            ctx.contentType("application/javascript").result(INIT);
            return;
        }
        InputStream stream = ASSET.matcher(name).matches() && !name.startsWith(".")
                ? ApiDocs.class.getResourceAsStream(assetRoot + name) : null;
        if (stream == null) {
            throw ApiException.notFound("no such asset");
        }
        ctx.contentType(contentType(name)).header("Cache-Control", "max-age=3600").result(stream);
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) {
            return "application/javascript";
        }
        if (name.endsWith(".css")) {
            return "text/css";
        }
        if (name.endsWith(".html")) {
            return "text/html";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        return name.endsWith(".map") || name.endsWith(".json") ? "application/json" : "application/octet-stream";
    }

    private static String webjarVersion() {
        try (InputStream in = ApiDocs.class.getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("swagger-ui webjar missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Drops the operations marked {@code "x-dbbat-requires": <feature>}, and path items left empty. */
    static byte[] withoutOperationsRequiring(String feature, byte[] json) {
        try {
            ObjectNode doc = (ObjectNode) Json.mapper().readTree(json);
            ObjectNode paths = (ObjectNode) doc.path("paths");
            List<String> emptied = new ArrayList<>();
            paths.fields().forEachRemaining(path -> {
                ObjectNode item = (ObjectNode) path.getValue();
                List<String> removed = new ArrayList<>();
                item.fields().forEachRemaining(operation -> {
                    if (feature.equals(operation.getValue().path("x-dbbat-requires").asText(null))) {
                        removed.add(operation.getKey());
                    }
                });
                item.remove(removed);
                if (item.isEmpty()) {
                    emptied.add(path.getKey());
                }
            });
            paths.remove(emptied);
            return Json.mapper().writeValueAsBytes(doc);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] read(String resource) {
        try (InputStream in = ApiDocs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
