package dev.dbbat.protocol.pg.it;

import dev.dbbat.core.auth.Scram;
import dev.dbbat.core.auth.ScramCredentials;
import dev.dbbat.core.event.AuthResult;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.LoginAttempt;
import dev.dbbat.core.spi.ClientAuthenticator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory DBBat users with passwords and API keys; SCRAM can be switched off. Thread-safe. */
final class FakeAuthenticator implements ClientAuthenticator {
    private record User(UUID id, String password, List<String> apiKeys, byte[] salt) {}

    private final Map<String, User> users = new ConcurrentHashMap<>();
    volatile boolean scram = true;
    final List<String> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();

    FakeAuthenticator user(String name, String password, String... apiKeys) {
        byte[] salt = ("salt-of-" + name).getBytes(StandardCharsets.UTF_8);
        users.put(name, new User(UUID.randomUUID(), password, List.of(apiKeys), salt));
        return this;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(LoginAttempt attempt, char[] secret) {
        String given = new String(secret);
        Arrays.fill(secret, '\0');
        User user = users.get(attempt.username());
        if (user == null) {
            return reject("unknown user");
        }
        if (user.password().equals(given)) {
            return CompletableFuture.supplyAsync(() -> ok(attempt.username(), user, "password"));
        }
        if (user.apiKeys().contains(given)) {
            return CompletableFuture.supplyAsync(() -> ok(attempt.username(), user, "apikey"));
        }
        return reject("wrong password");
    }

    @Override
    public CompletionStage<ScramCredentials> scramCredentials(LoginAttempt attempt) {
        if (!scram) {
            return CompletableFuture.completedFuture(ScramCredentials.unavailable());
        }
        User user = users.get(attempt.username());
        return CompletableFuture.supplyAsync(() -> {
            if (user == null) {
                return new ScramCredentials(true, ("fake-" + attempt.username()).getBytes(StandardCharsets.UTF_8),
                        4096, List.of());
            }
            List<ScramCredentials.Verifier> verifiers = new ArrayList<>();
            verifiers.add(Scram.verifier("password", user.password().toCharArray(), user.salt(), 4096));
            for (String each : user.apiKeys()) {
                verifiers.add(Scram.verifier("apikey", each.toCharArray(), user.salt(), 4096));
            }
            return new ScramCredentials(true, user.salt(), 4096, verifiers);
        });
    }

    @Override
    public CompletionStage<AuthResult> scramCompleted(LoginAttempt attempt, Optional<String> matchedCredentialId) {
        User user = users.get(attempt.username());
        if (user == null || matchedCredentialId.isEmpty()) {
            return reject(user == null ? "unknown user" : "wrong password");
        }
        return CompletableFuture.completedFuture(ok(attempt.username(), user, matchedCredentialId.get()));
    }

    private CompletionStage<AuthResult> reject(String reason) {
        rejections.add(reason);
        return CompletableFuture.completedFuture(AuthResult.Rejected.because(reason));
    }

    private static AuthResult ok(String name, User user, String credential) {
        boolean apiKey = credential.startsWith("apikey");
        return new AuthResult.Authenticated(new Identity(user.id(), name, Set.of("connector"),
                apiKey ? Identity.AuthMethod.API_KEY : Identity.AuthMethod.PASSWORD,
                apiKey ? Optional.of(UUID.randomUUID()) : Optional.empty()));
    }
}
