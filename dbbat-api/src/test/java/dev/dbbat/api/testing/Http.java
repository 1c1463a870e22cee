package dev.dbbat.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A tiny JSON client over {@link HttpClient} for the API tests. */
public final class Http {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: status, headers and body parsed as JSON (MissingNode when not JSON). */
    public record Response(int status, HttpResponse<String> raw, JsonNode json) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String errorCode() {
            return json.path("error").path("code").asText(null);
        }

        public String body() {
            return raw.body();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    public static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public Response get(String path, String auth) {
        return send("GET", path, auth, null);
    }

    public Response post(String path, String auth, Object body) {
        return send("POST", path, auth, body);
    }

    public Response put(String path, String auth, Object body) {
        return send("PUT", path, auth, body);
    }

    public Response delete(String path, String auth) {
        return send("DELETE", path, auth, null);
    }

    public Response send(String method, String path, String auth, Object body) {
        return send(method, path, auth, body, java.util.Map.of());
    }

    /** A GET with extra request headers (e.g. {@code X-Forwarded-Host}). Redirects are never followed. */
    public Response get(String path, String auth, java.util.Map<String, String> headers) {
        return send("GET", path, auth, null, headers);
    }

    public Response send(String method, String path, String auth, Object body, java.util.Map<String, String> headers) {
        try {
            String text = body == null ? null : body instanceof String s ? s : MAPPER.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                request.header("Content-Type", "application/json");
            }
            if (auth != null) {
                request.header("Authorization", auth);
            }
            headers.forEach(request::header);
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isEmpty() ? MissingNode.getInstance() : MAPPER.readTree(response.body());
            } catch (IOException ex) {
                json = MissingNode.getInstance();
            }
            return new Response(response.statusCode(), response, json == null ? MissingNode.getInstance() : json);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
