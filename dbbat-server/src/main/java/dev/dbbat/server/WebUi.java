package dev.dbbat.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the web UI bundle of {@code dbbat-ui} (classpath {@code META-INF/dbbat-ui/}) under {@code DBB_BASE_URL}:
 * files as they are (hashed assets cached for a year), and {@code index.html} for every other path (deep links of the
 * single-page app) with its {@code <base href>} rewritten to the base URL, as the UI's base path contract asks.
 * {@code /} redirects to the UI. Thread-safe; resources are cached in memory once read.
 */
final class WebUi {
    private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);
    static final String ROOT = "META-INF/dbbat-ui/";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"), Map.entry("txt", "text/plain"));

    private final String baseUrl;
    private final String index;
    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    private WebUi(String baseUrl, String index) {
        this.baseUrl = baseUrl;
        this.index = index;
    }

    /** The hook mounting the UI, or empty (with a warning) when this build has no UI bundle. */
    static Optional<Consumer<JavalinConfig>> hook(String baseUrl) {
        Optional<byte[]> index = read(ROOT + "index.html");
        if (index.isEmpty()) {
            LOG.warn("web UI not bundled in this build: {} serves nothing", baseUrl);
            return Optional.empty();
        }
        String html = new String(index.get(), StandardCharsets.UTF_8)
                .replaceFirst("<base href=\"[^\"]*\"", "<base href=\"" + baseUrl + "/\"");
        WebUi ui = new WebUi(baseUrl, html);
        return Optional.of(ui::configure);
    }

    private void configure(JavalinConfig config) {
        // "/" -> baseUrl/ is registered by ApiServer when a UI is mounted; registering it here too fails start-up
        // Javalin ignores trailing slashes: this route answers both /app and /app/ (index.html has an absolute <base>)
        config.routes.get(baseUrl, this::serveIndex);
        config.routes.get(baseUrl + "/<path>", this::serve);
    }

    private void serve(Context ctx) {
        String path = ctx.pathParam("path");
        if (path.isEmpty() || path.contains("..") || path.contains("\\") || path.startsWith("/")) {
            serveIndex(ctx);
            return;
        }
        Optional<byte[]> file = cache.computeIfAbsent(path, name -> read(ROOT + name));
        if (file.isEmpty() || path.equals("index.html")) {
            if (path.startsWith("assets/")) {
                ctx.status(HttpStatus.NOT_FOUND).result("not found");
                return;
            }
            serveIndex(ctx);
            return;
        }
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        ctx.contentType(TYPES.getOrDefault(extension, "application/octet-stream"));
        ctx.header("Cache-Control", path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result(file.get());
    }

    private void serveIndex(Context ctx) {
        ctx.contentType(TYPES.get("html"));
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.result(index);
    }

    private static Optional<byte[]> read(String resource) {
        ClassLoader loader = WebUi.class.getClassLoader();
        if (resource.endsWith("/")) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException ex) {
            // a directory entry or an unreadable resource: not a file we serve
            return Optional.empty();
        } catch (RuntimeException ex) {
            throw new UncheckedIOException(new IOException("cannot read " + resource, ex));
        }
    }
}
