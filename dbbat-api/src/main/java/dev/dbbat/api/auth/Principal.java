package dev.dbbat.api.auth;

import dev.dbbat.store.ApiKey;
import dev.dbbat.store.User;
import java.util.Objects;
import java.util.Optional;

/**
 * The authenticated caller of a request.
 *
 * @param token the API key or web session used, empty for Basic auth
 */
public record Principal(User user, Method method, Optional<ApiKey> token) {

    /** How the caller authenticated. */
    public enum Method {
        BASIC("basic"),
        API_KEY("api_key"),
        WEB_SESSION("web_session");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(token, "token");
    }

    public boolean isAdmin() {
        return user.hasRole("admin");
    }

    public boolean isAdminOrViewer() {
        return user.hasRole("admin") || user.hasRole("viewer");
    }

    /** Web session or Basic auth: the caller proved knowledge of the password. */
    public boolean passwordAuthenticated() {
        return method != Method.API_KEY;
    }
}
