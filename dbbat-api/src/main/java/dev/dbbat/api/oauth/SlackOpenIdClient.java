package dev.dbbat.api.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.Json;
import dev.dbbat.api.SlackAuth;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Server-to-server calls to Slack's OpenID Connect endpoints: the code exchange (form POST to the token endpoint)
 * and the userinfo request (GET with the access token). Every call has a connect and a request timeout. Codes, tokens
 * and the client secret never appear in a failure message. Thread-safe.
 */
public final class SlackOpenIdClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BODY_CHARS = 64 * 1024;

    private final SlackAuth config;
    private final HttpClient http;

    public SlackOpenIdClient(SlackAuth config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Exchanges an authorisation code for an access token. */
    public String exchangeCode(String code, String redirectUri) throws OAuthFailure {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", config.clientId());
        form.put("client_secret", config.clientSecret());
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        HttpRequest request = HttpRequest.newBuilder(config.tokenUrl())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
                .build();
        JsonNode body = call(request, "token exchange");
        String token = body.path("access_token").asText("");
        if (!body.path("ok").asBoolean(false) || token.isEmpty()) {
            throw new OAuthFailure("token exchange refused: " + safeError(body));
        }
        return token;
    }

    /** Reads the signed-in user's profile with an access token. */
    public SlackProfile userInfo(String accessToken) throws OAuthFailure {
        HttpRequest request = HttpRequest.newBuilder(config.userInfoUrl())
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        JsonNode body = call(request, "userinfo");
        String subject = body.path("sub").asText("");
        if (body.has("ok") && !body.path("ok").asBoolean(false) || subject.isEmpty()) {
            throw new OAuthFailure("userinfo refused: " + safeError(body));
        }
        return new SlackProfile(subject, text(body, "name"), text(body, "email"),
                body.path("email_verified").isBoolean()
                        ? Optional.of(body.path("email_verified").asBoolean()) : Optional.empty(),
                text(body, "picture"), text(body, "https://slack.com/team_id"),
                text(body, "https://slack.com/team_name"), body.toString());
    }

    private JsonNode call(HttpRequest request, String what) throws OAuthFailure {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new OAuthFailure(what + " failed: " + ex.getClass().getSimpleName() + " from " + origin(request));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new OAuthFailure(what + " interrupted");
        }
        if (response.statusCode() != 200) {
            throw new OAuthFailure(what + " failed: HTTP " + response.statusCode() + " from " + origin(request));
        }
        String text = response.body();
        if (text.length() > MAX_BODY_CHARS) {
            throw new OAuthFailure(what + " failed: response too large");
        }
        try {
            JsonNode json = Json.mapper().readTree(text);
            if (json == null || !json.isObject()) {
                throw new OAuthFailure(what + " failed: response is not a JSON object");
            }
            return json;
        } catch (JsonProcessingException ex) {
            throw new OAuthFailure(what + " failed: response is not JSON");
        }
    }

    private static String origin(HttpRequest request) {
        URI uri = request.uri();
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    /** Slack's {@code error} code (a short identifier such as {@code invalid_code}), never echoing other fields. */
    private static String safeError(JsonNode body) {
        String error = body.path("error").asText("");
        return error.matches("[a-z_]{1,64}") ? error : "unexpected response";
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode node = body.path(field);
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
