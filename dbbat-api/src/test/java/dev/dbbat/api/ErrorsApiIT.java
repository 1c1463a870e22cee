package dev.dbbat.api;

import static dev.dbbat.api.testing.ApiHarness.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ErrorsApiIT {
    @RegisterExtension
    static final ApiHarness API = new ApiHarness();

    @Test
    void unknownRoutesUseTheErrorBody() {
        Http.Response response = API.http().get("/api/v1/nothing-here", ADMIN);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void malformedBodiesAreValidationErrors() {
        for (String body : new String[] {"", "[]", "null", "{", "{\"username\":{}}", "\"text\""}) {
            Http.Response response = API.http().send("POST", "/api/v1/users", ADMIN, body.isEmpty() ? null : body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.errorCode()).as(body).isEqualTo("VALIDATION_ERROR");
        }
        Http.Response grant = API.http().send("POST", "/api/v1/grants", ADMIN,
                "{\"user_id\":1,\"database_id\":true,\"starts_at\":3,\"expires_at\":null}");
        assertThat(grant.status()).isEqualTo(400);
    }

    @Test
    void everyErrorHasTheSameShape() {
        Http.Response response = API.http().get("/api/v1/users", Http.basic("admin", "wrong"));
        assertThat(response.json().path("error").path("code").isTextual()).isTrue();
        assertThat(response.json().path("error").path("message").isTextual()).isTrue();
        assertThat(response.json().size()).isEqualTo(1);
    }
}
