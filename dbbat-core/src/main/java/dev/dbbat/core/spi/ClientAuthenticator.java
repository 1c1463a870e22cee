package dev.dbbat.core.spi;

import dev.dbbat.core.auth.ScramCredentials;
import dev.dbbat.core.event.AuthResult;
import dev.dbbat.core.event.LoginAttempt;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Verifies who a proxy client is: a DBBat user name with its password, or with one of its API keys ({@code dbb_…})
 * given as the password.
 *
 * <p>Threading: protocol modules call it from an event loop; every method must return at once and complete its
 * stage later, doing Argon2 and store look-ups on executors of its own. Stages may complete on any thread; the
 * caller hops back to its event loop. Implementations are thread-safe.
 *
 * <p>Failures never throw: they complete with {@link AuthResult.Rejected}. The rejection reason is for logs and
 * audit only; protocols answer every failure with one generic error so nothing is revealed to the client.
 * Implementations count failures toward the per-user-name login backoff and record them in the audit trail.
 */
public interface ClientAuthenticator {

    /**
     * Verifies a cleartext secret (password or API key).
     *
     * @param attempt who is trying, from where, for which database
     * @param secret the password or API key; the callee wipes it when done and the caller must not reuse it
     */
    CompletionStage<AuthResult> authenticate(LoginAttempt attempt, char[] secret);

    /**
     * The SCRAM-SHA-256 material for a user name: one salt and iteration count, and a verifier for the user's
     * password and each valid API key. For an unknown user it returns a stable fake salt and no verifiers, so the
     * exchange looks the same. Completes with {@link ScramCredentials#unavailable()} when the implementation does not
     * support SCRAM; the protocol then falls back to a cleartext exchange (over TLS).
     */
    CompletionStage<ScramCredentials> scramCredentials(LoginAttempt attempt);

    /**
     * Finishes a SCRAM exchange whose proof the protocol module checked against {@link #scramCredentials}.
     *
     * @param attempt the same attempt
     * @param matchedCredentialId the {@link ScramCredentials.Verifier#credentialId()} whose proof matched, or empty
     *     when none did (the attempt failed and counts toward backoff)
     */
    CompletionStage<AuthResult> scramCompleted(LoginAttempt attempt, Optional<String> matchedCredentialId);
}
