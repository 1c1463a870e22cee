package dev.dbbat.api.handler;

import dev.dbbat.api.ApiException;
import dev.dbbat.api.Json;
import dev.dbbat.api.auth.Principal;
import dev.dbbat.api.dto.Requests;
import dev.dbbat.api.dto.Views;
import dev.dbbat.core.event.Control;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.Grant;
import dev.dbbat.store.GrantFilter;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.NewGrant;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuditSink;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code /grants}: time-windowed access of a user to a database, with controls and quotas. */
public final class GrantHandler {
    private final GrantRepository grants;
    private final UserRepository users;
    private final DatabaseRepository databases;
    private final AuditSink audit;

    public GrantHandler(GrantRepository grants, UserRepository users, DatabaseRepository databases, AuditSink audit) {
        this.grants = grants;
        this.users = users;
        this.databases = databases;
        this.audit = audit;
    }

    public void create(Context ctx, Principal principal) {
        Requests.CreateGrant body = Json.body(ctx, Requests.CreateGrant.class);
        if (body.userId() == null || body.databaseId() == null || body.startsAt() == null
                || body.expiresAt() == null) {
            throw ApiException.validation("invalid request: user_id, database_id, starts_at and expires_at required");
        }
        UUID userId = Params.parseUuid(body.userId()).orElseThrow(() -> ApiException.validation("invalid user_id"));
        UUID databaseId = Params.parseUuid(body.databaseId())
                .orElseThrow(() -> ApiException.validation("invalid database_id"));
        List<String> controls = controls(body.controls());
        if (!body.startsAt().isBefore(body.expiresAt())) {
            throw ApiException.validation("starts_at must be before expires_at");
        }
        if (negative(body.maxQueryCounts()) || negative(body.maxBytesTransferred())) {
            throw ApiException.validation("quotas cannot be negative");
        }
        users.findById(userId).orElseThrow(() -> ApiException.validation("user_id does not designate a user"));
        databases.findById(databaseId)
                .orElseThrow(() -> ApiException.validation("database_id does not designate a database"));
        Grant grant = grants.insert(new NewGrant(userId, databaseId, controls, principal.user().uid(),
                body.startsAt(), body.expiresAt(), body.maxQueryCounts(), body.maxBytesTransferred()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("grant_uid", grant.uid().toString());
        details.put("user_id", userId.toString());
        details.put("database_id", databaseId.toString());
        details.put("controls", controls);
        details.put("starts_at", grant.startsAt().toString());
        details.put("expires_at", grant.expiresAt().toString());
        details.put("max_query_counts", grant.maxQueryCounts());
        details.put("max_bytes_transferred", grant.maxBytesTransferred());
        audit.record("grant.created", userId, principal.user().uid(), details);
        ctx.json(Views.GrantView.of(grant));
    }

    public void list(Context ctx, Principal principal) {
        Optional<UUID> userId = Params.queryUuid(ctx, "user_id");
        if (!principal.isAdminOrViewer()) {
            userId = Optional.of(principal.user().uid());
        }
        GrantFilter filter = new GrantFilter(userId, Params.queryUuid(ctx, "database_id"),
                Params.bool(ctx, "active_only"));
        ctx.json(Map.of("grants", grants.list(filter).stream().map(Views.GrantView::of).toList()));
    }

    public void get(Context ctx, Principal principal) {
        Grant grant = find(Params.pathUuid(ctx, "uid", "invalid grant UID"));
        if (!principal.isAdminOrViewer() && !grant.userId().equals(principal.user().uid())) {
            throw ApiException.forbidden("no access to this grant");
        }
        ctx.json(Views.GrantView.of(grant));
    }

    public void revoke(Context ctx, Principal principal) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid grant UID");
        Grant grant = find(uid);
        if (grant.revokedAt() != null || !grants.revoke(uid, principal.user().uid())) {
            throw ApiException.conflict("ALREADY_REVOKED", "grant already revoked");
        }
        audit.record("grant.revoked", grant.userId(), principal.user().uid(), Map.of("grant_uid", uid.toString()));
        ctx.json(new Views.Message("grant revoked"));
    }

    private Grant find(UUID uid) {
        return grants.findById(uid).orElseThrow(() -> ApiException.notFound("grant not found"));
    }

    private static List<String> controls(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        Set<String> result = new LinkedHashSet<>();
        for (String control : requested) {
            if (control == null || Control.fromId(control).isEmpty()) {
                throw ApiException.validation("invalid control: " + control);
            }
            result.add(control);
        }
        return List.copyOf(result);
    }

    private static boolean negative(Long value) {
        return value != null && value < 0;
    }
}
