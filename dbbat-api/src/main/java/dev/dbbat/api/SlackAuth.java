package dev.dbbat.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Slack sign-in settings (OAuth 2 / OpenID Connect). {@link #toString()} never shows the client secret, and the
 * record is never serialised.
 *
 * @param clientId the Slack app's client id
 * @param clientSecret the Slack app's client secret: never logged, serialised or audited
 * @param teamId when present, only members of this workspace may sign in
 * @param autoCreateUsers whether an unknown Slack user gets a local account
 * @param defaultRole the role of auto-created users ({@code admin}, {@code viewer} or {@code connector})
 * @param authorizeUrl the provider's authorisation endpoint (the browser is redirected there)
 * @param tokenUrl the provider's token endpoint (code exchange, server to server)
 * @param userInfoUrl the provider's userinfo endpoint (server to server)
 */
public record SlackAuth(
        String clientId,
        @JsonIgnore String clientSecret,
        Optional<String> teamId,
        boolean autoCreateUsers,
        String defaultRole,
        URI authorizeUrl,
        URI tokenUrl,
        URI userInfoUrl) {

    public static final URI DEFAULT_AUTHORIZE_URL = URI.create("https://slack.com/openid/connect/authorize");
    public static final URI DEFAULT_TOKEN_URL = URI.create("https://slack.com/api/openid.connect.token");
    public static final URI DEFAULT_USER_INFO_URL = URI.create("https://slack.com/api/openid.connect.userInfo");
    public static final String ENV_CLIENT_ID = "DBB_SLACK_AUTH_CLIENT_ID";
    public static final String ENV_CLIENT_SECRET = "DBB_SLACK_AUTH_CLIENT_SECRET";
    public static final String ENV_TEAM_ID = "DBB_SLACK_AUTH_TEAM_ID";
    public static final String ENV_AUTO_CREATE_USERS = "DBB_SLACK_AUTH_AUTO_CREATE_USERS";
    public static final String ENV_DEFAULT_ROLE = "DBB_SLACK_AUTH_DEFAULT_ROLE";
    private static final Set<String> ROLES = Set.of("admin", "viewer", "connector");

    public SlackAuth {
        requireText(clientId, "clientId");
        requireText(clientSecret, "clientSecret");
        Objects.requireNonNull(teamId, "teamId");
        teamId = teamId.filter(value -> !value.isBlank());
        Objects.requireNonNull(defaultRole, "defaultRole");
        if (!ROLES.contains(defaultRole)) {
            throw new IllegalArgumentException(
                    "defaultRole: " + defaultRole + " (expected: one of admin, viewer, connector)");
        }
        Objects.requireNonNull(authorizeUrl, "authorizeUrl");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(userInfoUrl, "userInfoUrl");
    }

    /** Slack's endpoints, no workspace restriction, auto-creation on, new users get {@code connector}. */
    public static SlackAuth of(String clientId, String clientSecret) {
        return new SlackAuth(clientId, clientSecret, Optional.empty(), true, "connector", DEFAULT_AUTHORIZE_URL,
                DEFAULT_TOKEN_URL, DEFAULT_USER_INFO_URL);
    }

    /**
     * Reads {@code DBB_SLACK_AUTH_*}: both the client id and secret set (non-blank) enable Slack sign-in, neither
     * disables it.
     *
     * @throws IllegalArgumentException when exactly one of the id and secret is set (the message names the missing
     *     variable), or when {@code DBB_SLACK_AUTH_AUTO_CREATE_USERS} or {@code DBB_SLACK_AUTH_DEFAULT_ROLE} is invalid
     */
    public static Optional<SlackAuth> fromEnv(Map<String, String> env) {
        Optional<String> id = value(env, ENV_CLIENT_ID);
        Optional<String> secret = value(env, ENV_CLIENT_SECRET);
        if (id.isEmpty() && secret.isEmpty()) {
            return Optional.empty();
        }
        if (id.isEmpty() || secret.isEmpty()) {
            String missing = id.isEmpty() ? ENV_CLIENT_ID : ENV_CLIENT_SECRET;
            String present = id.isEmpty() ? ENV_CLIENT_SECRET : ENV_CLIENT_ID;
            throw new IllegalArgumentException(missing + " must be set when " + present + " is set");
        }
        boolean autoCreate = value(env, ENV_AUTO_CREATE_USERS).map(SlackAuth::parseBoolean).orElse(true);
        String role = value(env, ENV_DEFAULT_ROLE).map(text -> text.toLowerCase(Locale.ROOT)).orElse("connector");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException(ENV_DEFAULT_ROLE + ": " + role
                    + " (expected: one of admin, viewer, connector)");
        }
        return Optional.of(new SlackAuth(id.get(), secret.get(), value(env, ENV_TEAM_ID), autoCreate, role,
                DEFAULT_AUTHORIZE_URL, DEFAULT_TOKEN_URL, DEFAULT_USER_INFO_URL));
    }

    /** The same settings with other provider endpoints (tests point them at a local provider). */
    public SlackAuth withEndpoints(URI authorize, URI token, URI userInfo) {
        return new SlackAuth(clientId, clientSecret, teamId, autoCreateUsers, defaultRole, authorize, token, userInfo);
    }

    public SlackAuth withTeamId(String team) {
        return new SlackAuth(clientId, clientSecret, Optional.of(team), autoCreateUsers, defaultRole, authorizeUrl,
                tokenUrl, userInfoUrl);
    }

    public SlackAuth withAutoCreateUsers(boolean enabled, String role) {
        return new SlackAuth(clientId, clientSecret, teamId, enabled, role, authorizeUrl, tokenUrl, userInfoUrl);
    }

    @Override
    public String toString() {
        return "SlackAuth[clientId=" + clientId + ", teamId=" + teamId.orElse("-") + ", autoCreateUsers="
                + autoCreateUsers + ", defaultRole=" + defaultRole + ", clientSecret=***]";
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(text -> !text.isEmpty());
    }

    private static boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(ENV_AUTO_CREATE_USERS + ": " + text
                    + " (expected: true or false)");
        };
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
