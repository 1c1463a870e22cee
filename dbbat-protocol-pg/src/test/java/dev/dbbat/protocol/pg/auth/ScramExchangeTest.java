package dev.dbbat.protocol.pg.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.core.auth.Scram;
import dev.dbbat.core.auth.ScramCredentials;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScramExchangeTest {
    private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private static ScramCredentials credentials() {
        return new ScramCredentials(true, SALT, 4096, List.of(
                Scram.verifier("password", "pencil".toCharArray(), SALT, 4096),
                Scram.verifier("apikey:1", "dbb_key".toCharArray(), SALT, 4096)));
    }

    @Test
    void matchesEachVerifierAndProvesTheServer() {
        for (String[] each : new String[][] {{"pencil", "password"}, {"dbb_key", "apikey:1"}}) {
            ScramClientExchange client = new ScramClientExchange(each[0]);
            ScramServerExchange server = new ScramServerExchange(credentials());
            String serverFirst = server.serverFirst(client.clientFirst());
            assertThat(server.verify(client.clientFinal(serverFirst))).contains(each[1]);
            assertThat(client.serverFinalValid(server.serverFinal())).isTrue();
        }
    }

    @Test
    void rejectsAWrongPassword() {
        ScramClientExchange client = new ScramClientExchange("wrong");
        ScramServerExchange server = new ScramServerExchange(credentials());
        String serverFirst = server.serverFirst(client.clientFirst());
        assertThat(server.verify(client.clientFinal(serverFirst))).isEmpty();
    }

    @Test
    void rejectsChannelBindingRequests() {
        ScramServerExchange server = new ScramServerExchange(credentials());
        assertThatThrownBy(() -> server.serverFirst("p=tls-server-end-point,,n=,r=abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void computesPostgresMd5Responses() {
        // md5(md5("secret" + "app") + salt), checked with Python's hashlib
        assertThat(Md5Password.response("app", "secret", new byte[] {1, 2, 3, 4}))
                .isEqualTo("md5911f527656472583a006e7727877b33e");
    }
}
