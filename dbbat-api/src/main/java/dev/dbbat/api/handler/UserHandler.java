package dev.dbbat.api.handler;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.ApiException;
import dev.dbbat.api.Json;
import dev.dbbat.api.auth.Principal;
import dev.dbbat.api.dto.Requests;
import dev.dbbat.api.dto.Views;
import dev.dbbat.store.ApiKey;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuditSink;
import dev.dbbat.store.auth.Credentials;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code /users}: create, list, get, update, soft delete, admin password reset. */
public final class UserHandler {
    static final Set<String> ROLES = Set.of("admin", "viewer", "connector");

    private final Credentials credentials;
    private final UserRepository users;
    private final ApiKeyRepository keys;
    private final AuditSink audit;
    private final ApiConfig config;

    public UserHandler(Credentials credentials, UserRepository users, ApiKeyRepository keys, AuditSink audit,
            ApiConfig config) {
        this.credentials = credentials;
        this.users = users;
        this.keys = keys;
        this.audit = audit;
        this.config = config;
    }

    public void create(Context ctx, Principal principal) {
        Requests.CreateUser body = Json.body(ctx, Requests.CreateUser.class);
        Params.required(body.username(), "invalid request: username and password required");
        Params.required(body.password(), "invalid request: username and password required");
        List<String> roles = body.roles() == null || body.roles().isEmpty() ? List.of("connector")
                : validRoles(body.roles());
        char[] password = body.password().toCharArray();
        User user;
        try {
            user = credentials.createUser(body.username(), password, roles, false);
        } finally {
            Arrays.fill(password, '\0');
        }
        audit.record("user.created", user.uid(), principal.user().uid(),
                Map.of("username", user.username(), "roles", user.roles()));
        ctx.json(Views.UserView.of(user));
    }

    public void list(Context ctx, Principal principal) {
        List<User> result = principal.isAdminOrViewer() ? users.list() : List.of(principal.user());
        ctx.json(Map.of("users", result.stream().map(Views.UserView::of).toList()));
    }

    public void get(Context ctx, Principal principal) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid user UID");
        if (!principal.isAdminOrViewer() && !principal.user().uid().equals(uid)) {
            throw ApiException.forbidden("can only read your own user");
        }
        ctx.json(Views.UserView.of(find(uid)));
    }

    public void update(Context ctx, Principal principal) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid user UID");
        Requests.UpdateUser body = Json.body(ctx, Requests.UpdateUser.class);
        if (body.password() != null && !principal.passwordAuthenticated()) {
            throw ApiException.forbidden("password changes require password authentication");
        }
        if (!principal.isAdmin()) {
            if (!principal.user().uid().equals(uid)) {
                throw ApiException.forbidden("can only update your own user");
            }
            if (body.roles() != null) {
                throw ApiException.forbidden("cannot change roles");
            }
        }
        if (body.roles() != null && body.roles().isEmpty()) {
            throw ApiException.validation("roles cannot be empty");
        }
        if (body.password() != null && body.password().isEmpty()) {
            throw ApiException.validation("password cannot be empty");
        }
        List<String> roles = body.roles() == null ? null : validRoles(body.roles());
        User target = find(uid);
        Map<String, Object> changed = new LinkedHashMap<>();
        if (body.password() != null) {
            char[] password = body.password().toCharArray();
            try {
                credentials.setPassword(target, password, true);
            } finally {
                Arrays.fill(password, '\0');
            }
            keys.revokeWebSessionsOf(uid, principal.user().uid(), principal.token().map(ApiKey::id));
            changed.put("password", "<changed>");
        }
        if (roles != null) {
            users.setRoles(uid, roles);
            changed.put("roles", roles);
        }
        audit.record("user.updated", uid, principal.user().uid(), Map.of("updated_fields", changed));
        ctx.json(new Views.Message("user updated"));
    }

    public void delete(Context ctx, Principal principal) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid user UID");
        if (principal.user().uid().equals(uid)) {
            throw ApiException.validation("cannot delete your own user");
        }
        User target = find(uid);
        if (config.demoMode() && "admin".equals(target.username())) {
            throw ApiException.forbidden("the admin user cannot be deleted in demo mode");
        }
        if (!users.softDelete(uid)) {
            throw ApiException.notFound("user not found");
        }
        audit.record("user.deleted", uid, principal.user().uid(), Map.of("user_uid", uid.toString()));
        ctx.json(new Views.Message("user deleted"));
    }

    public void resetPassword(Context ctx, Principal principal) {
        if (!principal.passwordAuthenticated()) {
            throw ApiException.forbidden("web session required for password reset");
        }
        UUID uid = Params.pathUuid(ctx, "uid", "invalid user UID");
        if (principal.user().uid().equals(uid)) {
            throw ApiException.forbidden(
                    "cannot reset your own password; use the password change endpoint instead");
        }
        Requests.ResetPassword body = Json.body(ctx, Requests.ResetPassword.class);
        Params.required(body.newPassword(), "invalid request: new_password required");
        if (body.newPassword().getBytes(StandardCharsets.UTF_8).length < AuthHandler.MIN_PASSWORD_BYTES) {
            throw new ApiException(400, "WEAK_PASSWORD", "Password must be at least 8 characters");
        }
        User target = find(uid);
        char[] password = body.newPassword().toCharArray();
        try {
            credentials.setPassword(target, password, true);
        } finally {
            Arrays.fill(password, '\0');
        }
        keys.revokeWebSessionsOf(uid, principal.user().uid(), Optional.empty());
        audit.record("user.password_reset", uid, principal.user().uid(), Map.of("password", "<changed>"));
        ctx.json(new Views.Message("Password reset successfully"));
    }

    private User find(UUID uid) {
        return users.findById(uid).orElseThrow(() -> ApiException.notFound("user not found"));
    }

    static List<String> validRoles(List<String> requested) {
        Set<String> result = new LinkedHashSet<>();
        for (String role : requested) {
            if (role == null || !ROLES.contains(role)) {
                throw ApiException.validation("invalid role: " + role);
            }
            result.add(role);
        }
        return List.copyOf(result);
    }
}
