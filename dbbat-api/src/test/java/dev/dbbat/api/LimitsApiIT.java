package dev.dbbat.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Production run mode: login backoff, per-user rate limit, per-IP limit on unauthenticated auth routes. */
class LimitsApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness("", config -> config.withRateLimits(true, 5, 2, 30));

    private static final String ADMIN = Http.basic("admin", "admin");

    @Test
    void defaultAdminMustChangeItsPasswordBeforeWebLogin() {
        Http.Response login = API.http().post("/api/v1/auth/login", null,
                Map.of("username", "admin", "password", "admin"));
        assertThat(login.status()).isEqualTo(403);
        assertThat(login.errorCode()).isEqualTo("PASSWORD_CHANGE_REQUIRED");
    }

    @Test
    void loginFailuresBackOffPerUsername() {
        for (int i = 0; i < 3; i++) {
            Http.Response failed = API.http().post("/api/v1/auth/login", null,
                    Map.of("username", "ghost", "password", API.secret("bad-guess-" + i)));
            assertThat(failed.status()).isEqualTo(401);
        }
        Http.Response blocked = API.http().post("/api/v1/auth/login", null,
                Map.of("username", "ghost", "password", "whatever"));
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(Integer.parseInt(blocked.header("Retry-After"))).isBetween(1, 5);
        assertThat(blocked.json().path("error").path("retry_after").asInt()).isBetween(1, 5);
        Http.Response basic = API.http().get("/api/v1/auth/me", Http.basic("ghost", "x"));
        assertThat(basic.status()).isEqualTo(429);
    }

    @Test
    void authenticatedRequestsAreRateLimitedPerUserWithHeaders() {
        API.http().post("/api/v1/users", ADMIN, Map.of("username", "busy", "password", API.secret("busy-password")));
        String busy = Http.basic("busy", "busy-password");
        Http.Response first = API.http().get("/api/v1/auth/me", busy);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("X-RateLimit-Limit")).isEqualTo("5");
        assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("6");
        assertThat(Long.parseLong(first.header("X-RateLimit-Reset")))
                .isGreaterThan(System.currentTimeMillis() / 1000);
        int allowed = 1;
        Http.Response last = first;
        while (last.status() == 200 && allowed < 20) {
            last = API.http().get("/api/v1/auth/me", busy);
            allowed += last.status() == 200 ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(7);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("Retry-After")).isNotNull();
        assertThat(last.json().path("error").path("code").asText()).isEqualTo("RATE_LIMITED");
    }
}
