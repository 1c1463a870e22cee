package dev.dbbat.api.handler;

import dev.dbbat.api.ApiException;
import dev.dbbat.api.Json;
import dev.dbbat.api.auth.Principal;
import dev.dbbat.api.dto.Requests;
import dev.dbbat.api.dto.Views;
import dev.dbbat.store.ApiKey;
import dev.dbbat.store.ApiKeyFilter;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.auth.AuditSink;
import dev.dbbat.store.auth.Credentials;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code /keys}: API keys ({@code dbb_…}); created and revoked only with a web session or Basic auth. */
public final class ApiKeyHandler {
    private final Credentials credentials;
    private final ApiKeyRepository keys;
    private final AuditSink audit;

    public ApiKeyHandler(Credentials credentials, ApiKeyRepository keys, AuditSink audit) {
        this.credentials = credentials;
        this.keys = keys;
        this.audit = audit;
    }

    public void create(Context ctx, Principal principal) {
        Requests.CreateKey body = Json.body(ctx, Requests.CreateKey.class);
        Params.required(body.name(), "invalid request: name required");
        if (body.name().length() > 255) {
            throw ApiException.validation("name is too long (at most 255 characters)");
        }
        Credentials.Issued issued = credentials.issueApiKey(principal.user(), body.name(), body.expiresAt());
        ApiKey key = issued.key();
        Map<String, Object> details = new HashMap<>();
        details.put("key_name", key.name());
        details.put("key_prefix", key.keyPrefix());
        details.put("user_id", key.userId().toString());
        details.put("expires_at", key.expiresAt() == null ? null : key.expiresAt().toString());
        audit.record("api_key.created", key.userId(), principal.user().uid(), details);
        ctx.status(201).json(new Views.CreatedKeyView(key.id(), key.name(), issued.plaintext(), key.keyPrefix(),
                key.expiresAt(), key.createdAt()));
    }

    public void list(Context ctx, Principal principal) {
        Optional<UUID> userId = principal.isAdmin() ? Params.queryUuid(ctx, "user_id")
                : Optional.of(principal.user().uid());
        ApiKeyFilter filter = new ApiKeyFilter(userId, Optional.of(ApiKey.TYPE_API), Params.bool(ctx, "include_all"));
        ctx.json(Map.of("keys", keys.list(filter).stream().map(Views.ApiKeyView::of).toList()));
    }

    public void get(Context ctx, Principal principal) {
        ctx.json(Views.ApiKeyView.of(findOwn(ctx, principal)));
    }

    public void revoke(Context ctx, Principal principal) {
        ApiKey key = findOwn(ctx, principal);
        if (key.revokedAt() != null || !keys.revoke(key.id(), principal.user().uid())) {
            throw ApiException.conflict("ALREADY_REVOKED", "API key already revoked");
        }
        audit.record("api_key.revoked", key.userId(), principal.user().uid(), Map.of("key_name", key.name(),
                "key_prefix", key.keyPrefix(), "revoked_by", principal.user().uid().toString()));
        ctx.status(204);
    }

    /** The key of the path's {@code id}: 404 when unknown, 403 unless the caller owns it or is an admin. */
    private ApiKey findOwn(Context ctx, Principal principal) {
        UUID id = Params.pathUuid(ctx, "id", "invalid API key ID");
        ApiKey key = keys.findById(id).orElseThrow(() -> ApiException.notFound("API key not found"));
        if (!principal.isAdmin() && !key.userId().equals(principal.user().uid())) {
            throw ApiException.forbidden("access denied");
        }
        return key;
    }
}
