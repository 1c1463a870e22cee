package dev.dbbat.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's UI hook: mounted inside the same Javalin app, with {@code /} redirecting to the base URL. */
class StaticUiApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness("test", config -> config.withStaticUi(cfg -> {
        cfg.routes.get("/app/", ctx -> ctx.html("<html>ui</html>"));
        cfg.routes.get("/app/missing", ctx -> ctx.status(404).result("no such page"));
    }));

    @Test
    void mountsTheUiAndRedirectsTheRoot() {
        Http.Response root = API.http().get("/", null);
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.header("Location")).isEqualTo("/app/");
        assertThat(API.http().get("/app/", null).body()).contains("ui");
        assertThat(API.http().get("/app/missing", null).body()).isEqualTo("no such page");
        assertThat(API.http().get("/api/v1/health", null).status()).isEqualTo(200);
    }
}
