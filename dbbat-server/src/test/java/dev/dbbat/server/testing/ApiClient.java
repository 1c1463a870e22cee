package dev.dbbat.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** A tiny JSON client for the REST API of a server under test. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Optional<String> authorization;

    private ApiClient(String base, Optional<String> authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public static ApiClient at(int port) {
        return new ApiClient("http://127.0.0.1:" + port + "/api/v1", Optional.empty());
    }

    public ApiClient basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new ApiClient(base, Optional.of("Basic " + token));
    }

    public ApiClient bearer(String token) {
        return new ApiClient(base, Optional.of("Bearer " + token));
    }

    /** A response: status and parsed JSON body (MissingNode when empty). */
    public record Response(int status, JsonNode body) {}

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private static String json(Object body) {
        try {
            return body instanceof String text ? text : JSON.writeValueAsString(body);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private Response send(HttpRequest.Builder request) {
        authorization.ifPresent(value -> request.header("Authorization", value));
        request.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode body = text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
            return new Response(response.statusCode(), body);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Polls {@code GET /health} until it answers 200. */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (get("/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException ex) {
                last = ex;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        throw new AssertionError("API not healthy within " + timeout, last);
    }
}
