package dev.dbbat.api.handler;

import dev.dbbat.api.ApiException;
import dev.dbbat.api.Json;
import dev.dbbat.api.auth.Principal;
import dev.dbbat.api.auth.RequestAuthenticator;
import dev.dbbat.api.dto.Requests;
import dev.dbbat.api.dto.Views;
import dev.dbbat.store.ApiKey;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuditSink;
import dev.dbbat.store.auth.Credentials;
import dev.dbbat.store.auth.LoginBackoff;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Login, logout, who-am-I and the password changes authenticated by the current password. */
public final class AuthHandler {
    /** Web sessions live one hour from creation, with no renewal. */
    public static final Duration SESSION_TTL = Duration.ofHours(1);
    static final int MIN_PASSWORD_BYTES = 8;

    private final Credentials credentials;
    private final UserRepository users;
    private final ApiKeyRepository keys;
    private final LoginBackoff backoff;
    private final AuditSink audit;

    public AuthHandler(Credentials credentials, UserRepository users, ApiKeyRepository keys, LoginBackoff backoff,
            AuditSink audit) {
        this.credentials = credentials;
        this.users = users;
        this.keys = keys;
        this.backoff = backoff;
        this.audit = audit;
    }

    public void login(Context ctx) {
        Requests.Login body = Json.body(ctx, Requests.Login.class);
        if (body.username() == null || body.username().isEmpty() || body.password() == null
                || body.password().isEmpty()) {
            throw ApiException.validation("invalid request: username and password required");
        }
        User user = verify(body.username(), body.username(), body.password(), "invalid credentials");
        if (user.passwordChangedAt() == null) {
            throw new ApiException(403, "PASSWORD_CHANGE_REQUIRED", "You must change your password before logging in");
        }
        Credentials.Issued session = credentials.issueWebSession(user, SESSION_TTL);
        audit.record("auth.login", user.uid(), user.uid(), Map.of("method", "password"));
        ctx.json(new Views.LoginView(session.plaintext(), session.key().expiresAt().truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS),
                new Views.LoginUser(user.uid(), user.username(), user.roles(), false)));
    }

    public void logout(Context ctx, Principal principal) {
        principal.token().filter(ApiKey::isWebSession).ifPresent(token -> {
            keys.revoke(token.id(), principal.user().uid());
            audit.record("auth.logout", principal.user().uid(), principal.user().uid(), Map.of());
        });
        ctx.status(204);
    }

    public void me(Context ctx, Principal principal) {
        User user = principal.user();
        Views.SessionView session = new Views.SessionView(
                principal.token().map(ApiKey::expiresAt).orElse(null),
                principal.token().map(ApiKey::createdAt).orElse(null));
        ctx.json(new Views.MeView(user.uid(), user.username(), user.roles(), user.passwordChangedAt() == null,
                principal.method().id(), session));
    }

    /** {@code PUT /auth/password}: the pre-login change, authenticated by the current password. */
    public void changeOwnPassword(Context ctx) {
        Requests.ChangePassword body = Json.body(ctx, Requests.ChangePassword.class);
        Params.required(body.username(), "invalid request: username, current_password and new_password required");
        Params.required(body.currentPassword(),
                "invalid request: username, current_password and new_password required");
        Params.required(body.newPassword(), "invalid request: username, current_password and new_password required");
        User user = verify(body.username(), body.username(), body.currentPassword(),
                "Invalid username or current password");
        setPassword(user, body.newPassword());
        keys.revokeWebSessionsOf(user.uid(), user.uid(), Optional.empty());
        audit.record("user.password_changed", user.uid(), user.uid(), Map.of("password", "<changed>"));
        ctx.json(new Views.Message("Password changed successfully"));
    }

    /** {@code PUT /users/{uid}/password}: credentials in the body (the target's, or an admin's with username). */
    public void changeUserPassword(Context ctx) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid user UID");
        Requests.ChangePassword body = Json.body(ctx, Requests.ChangePassword.class);
        Params.required(body.currentPassword(), "invalid request: current_password and new_password required");
        Params.required(body.newPassword(), "invalid request: current_password and new_password required");
        User actor;
        User target;
        if (body.username() != null && !body.username().isEmpty()) {
            actor = verify(body.username(), body.username(), body.currentPassword(), "invalid credentials");
            target = users.findById(uid).orElseThrow(() -> ApiException.notFound("user not found"));
            if (!actor.uid().equals(target.uid()) && !actor.hasRole("admin")) {
                throw ApiException.forbidden("You can only change your own password");
            }
        } else {
            Optional<User> found = users.findById(uid);
            String name = found.map(User::username).orElse(uid.toString());
            target = verify(uid.toString(), name, body.currentPassword(), "invalid credentials");
            actor = target;
        }
        setPassword(target, body.newPassword());
        keys.revokeWebSessionsOf(target.uid(), actor.uid(), Optional.empty());
        audit.record("user.password_changed", target.uid(), actor.uid(), Map.of("password", "<changed>"));
        ctx.json(new Views.Message("Password changed successfully"));
    }

    private void setPassword(User user, String newPassword) {
        if (newPassword.getBytes(StandardCharsets.UTF_8).length < MIN_PASSWORD_BYTES) {
            throw new ApiException(400, "WEAK_PASSWORD", "Password must be at least 8 characters");
        }
        char[] chars = newPassword.toCharArray();
        try {
            credentials.setPassword(user, chars, true);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Backoff check, then Argon2 (never cached); a failure is counted under {@code backoffKey}. */
    private User verify(String backoffKey, String username, String password, String failureMessage) {
        RequestAuthenticator.checkBackoff(backoff, backoffKey);
        char[] chars = password.toCharArray();
        try {
            Optional<User> user = credentials.checkPassword(username, chars, false);
            if (user.isEmpty()) {
                backoff.recordFailure(backoffKey);
                throw new ApiException(401, "INVALID_CREDENTIALS", failureMessage);
            }
            backoff.recordSuccess(backoffKey);
            return user.get();
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
