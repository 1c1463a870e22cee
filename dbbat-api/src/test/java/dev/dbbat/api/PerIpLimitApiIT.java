package dev.dbbat.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-IP limit on unauthenticated auth routes (its own server: it exhausts the loopback address's budget). */
class PerIpLimitApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness("", config -> config.withRateLimits(true, 5, 2, 30));

    @Test
    void unauthenticatedAuthRoutesAreLimitedPerIp() {
        int status = 0;
        for (int i = 0; i < 40 && status != 429; i++) {
            status = API.http().put("/api/v1/auth/password", null, Map.of("username", "u" + i,
                    "current_password", "x", "new_password", "yyyyyyyyyy")).status();
        }
        assertThat(status).isEqualTo(429);
    }
}
