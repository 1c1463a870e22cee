package dev.dbbat.api.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A local stand-in for Slack's OpenID Connect token and userinfo endpoints, on 127.0.0.1 with an ephemeral port.
 * Slack is an external service these tests cannot reach (and must not depend on), so this fake answers the two
 * server-to-server calls DBBat makes, with the same shapes as Slack: {@code {"ok":true,"access_token":…}} from the
 * token endpoint and the OpenID claims (plus {@code https://slack.com/team_id}) from the userinfo endpoint. It is not
 * a general OpenID provider: no signatures, no discovery, no refresh.
 *
 * <p>A test {@link #issueCode(Map) issues a code} for a profile, as Slack would after the user consents, then drives
 * DBBat's callback with it. Every code and token it creates is passed to the {@code secretSink}. Thread-safe.
 */
public final class FakeSlackProvider implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final Consumer<String> secretSink;
    private final Map<String, Map<String, Object>> profilesByCode = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> profilesByToken = new ConcurrentHashMap<>();
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    private volatile int tokenEndpointStatus = 200;

    public FakeSlackProvider(Consumer<String> secretSink) {
        this.secretSink = secretSink;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.createContext("/api/openid.connect.token", this::token);
        server.createContext("/api/openid.connect.userInfo", this::userInfo);
        server.start();
    }

    public URI authorizeUrl() {
        return base().resolve("/openid/connect/authorize");
    }

    public URI tokenUrl() {
        return base().resolve("/api/openid.connect.token");
    }

    public URI userInfoUrl() {
        return base().resolve("/api/openid.connect.userInfo");
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A one-time authorisation code whose access token returns {@code profile} from the userinfo endpoint. */
    public String issueCode(Map<String, Object> profile) {
        String code = secretSink(random("code-"));
        profilesByCode.put(code, profile);
        return code;
    }

    /** A Slack-like profile: {@code sub}, {@code name}, {@code email}, and the team claims. */
    public static Map<String, Object> profile(String sub, String name, String email, String teamId) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("ok", true);
        profile.put("sub", sub);
        profile.put("name", name);
        profile.put("email", email);
        profile.put("email_verified", true);
        profile.put("picture", "https://avatars.example/" + sub + ".png");
        profile.put("https://slack.com/team_id", teamId);
        profile.put("https://slack.com/team_name", "Team " + teamId);
        return profile;
    }

    /** Makes the token endpoint answer with this HTTP status (200 restores normal behaviour). */
    public void tokenEndpointStatus(int status) {
        this.tokenEndpointStatus = status;
    }

    /** The form parameters of every token request received, oldest first. */
    public List<Map<String, String>> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        tokenRequests.add(form);
        if (tokenEndpointStatus != 200) {
            respond(exchange, tokenEndpointStatus, Map.of("ok", false, "error", "internal_error"));
            return;
        }
        Map<String, Object> profile = profilesByCode.remove(form.getOrDefault("code", ""));
        if (!"POST".equals(exchange.getRequestMethod()) || profile == null) {
            respond(exchange, 200, Map.of("ok", false, "error", "invalid_code"));
            return;
        }
        String token = secretSink(random("xoxp-"));
        profilesByToken.put(token, profile);
        respond(exchange, 200, Map.of("ok", true, "access_token", token, "token_type", "Bearer",
                "id_token", secretSink(random("idt-"))));
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Map<String, Object> profile = authorization == null || !authorization.startsWith("Bearer ") ? null
                : profilesByToken.get(authorization.substring("Bearer ".length()));
        respond(exchange, 200, profile == null ? Map.of("ok", false, "error", "invalid_auth") : profile);
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private String secretSink(String value) {
        secretSink.accept(value);
        return value;
    }

    private static String random(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
