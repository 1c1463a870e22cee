package dev.dbbat.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramTest {
    // RFC 7677 §3 example exchange.
    private static final String CLIENT_FIRST_BARE = "n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL_NO_PROOF = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final byte[] AUTH_MESSAGE = (CLIENT_FIRST_BARE + "," + SERVER_FIRST + "," + CLIENT_FINAL_NO_PROOF)
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final byte[] PROOF = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");

    @Test
    void acceptsTheRfc7677Proof() {
        ScramCredentials.Verifier verifier = Scram.verifier("password", "pencil".toCharArray(), SALT, 4096);

        assertThat(Scram.proofMatches(verifier, AUTH_MESSAGE, PROOF)).isTrue();
        assertThat(Base64.getEncoder().encodeToString(Scram.serverSignature(verifier, AUTH_MESSAGE)))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void rejectsTheProofForAnotherPassword() {
        ScramCredentials.Verifier verifier = Scram.verifier("password", "pencils".toCharArray(), SALT, 4096);

        assertThat(Scram.proofMatches(verifier, AUTH_MESSAGE, PROOF)).isFalse();
    }

    @Test
    void computesTheSameProofAsTheRfcClient() {
        byte[] salted = Scram.saltedPassword("pencil".toCharArray(), SALT, 4096);

        assertThat(Scram.clientProof(salted, AUTH_MESSAGE)).isEqualTo(PROOF);
    }
}
