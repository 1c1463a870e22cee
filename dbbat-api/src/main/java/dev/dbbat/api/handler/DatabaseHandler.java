package dev.dbbat.api.handler;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.ApiException;
import dev.dbbat.api.Json;
import dev.dbbat.api.auth.Principal;
import dev.dbbat.api.dto.Requests;
import dev.dbbat.api.dto.Views;
import dev.dbbat.store.Database;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.auth.AuditSink;
import dev.dbbat.store.crypto.CredentialCipher;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /databases}: admins see everything but passwords; viewers and connectors a limited shape. */
public final class DatabaseHandler {
    private static final List<String> SECRET_FIELDS = List.of("password", "readonly_password");

    private final DatabaseRepository databases;
    private final GrantRepository grants;
    private final DatabaseRules rules;
    private final AuditSink audit;
    private final ApiConfig config;

    public DatabaseHandler(DatabaseRepository databases, GrantRepository grants, CredentialCipher cipher,
            AuditSink audit, ApiConfig config) {
        this.databases = databases;
        this.grants = grants;
        this.rules = new DatabaseRules(cipher, config);
        this.audit = audit;
        this.config = config;
    }

    public void create(Context ctx, Principal principal) {
        Requests.DatabaseBody body = Json.body(ctx, Requests.DatabaseBody.class);
        Database created = databases.insert(rules.create(body, principal.user().uid()));
        audit.record("database.created", null, principal.user().uid(), Map.of("database_uid",
                created.uid().toString(), "name", created.name(), "host", created.host(), "port", created.port()));
        ctx.json(Views.DatabaseView.of(created));
    }

    public void list(Context ctx, Principal principal) {
        List<?> result;
        if (principal.isAdmin()) {
            result = databases.list().stream().map(Views.DatabaseView::of).toList();
        } else if (principal.user().hasRole("viewer")) {
            result = databases.list().stream().map(Views.DatabaseLimitedView::of).toList();
        } else if (principal.user().hasRole("connector")) {
            result = databases.listGrantedTo(principal.user().uid()).stream()
                    .map(Views.DatabaseLimitedView::of).toList();
        } else {
            result = List.of();
        }
        ctx.json(Map.of("databases", result));
    }

    public void get(Context ctx, Principal principal) {
        Database database = find(Params.pathUuid(ctx, "uid", "invalid database UID"));
        if (principal.isAdmin()) {
            ctx.json(Views.DatabaseView.of(database));
        } else if (principal.user().hasRole("viewer") || hasActiveGrant(principal, database)) {
            ctx.json(Views.DatabaseLimitedView.of(database));
        } else {
            throw ApiException.forbidden("no access to this database");
        }
    }

    private boolean hasActiveGrant(Principal principal, Database database) {
        return principal.user().hasRole("connector")
                && grants.findActive(principal.user().uid(), database.uid()).isPresent();
    }

    public void update(Context ctx, Principal principal) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid database UID");
        Requests.DatabaseBody body = Json.body(ctx, Requests.DatabaseBody.class);
        Database updated = rules.update(find(uid), body);
        if (!databases.update(updated)) {
            throw ApiException.notFound("database not found");
        }
        audit.record("database.updated", null, principal.user().uid(),
                Map.of("database_uid", uid.toString(), "updated_fields", changedFields(body)));
        ctx.json(new Views.Message("database updated"));
    }

    public void delete(Context ctx, Principal principal) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid database UID");
        Database database = find(uid);
        if (config.demoMode() && "demo_db".equals(database.name())) {
            throw ApiException.forbidden("the demo database cannot be deleted in demo mode");
        }
        if (!databases.softDelete(uid)) {
            throw ApiException.notFound("database not found");
        }
        audit.record("database.deleted", null, principal.user().uid(), Map.of("database_uid", uid.toString()));
        ctx.json(new Views.Message("database deleted"));
    }

    private Database find(UUID uid) {
        return databases.findById(uid).orElseThrow(() -> ApiException.notFound("database not found"));
    }

    /** The fields present in the body; secrets become {@code "<changed>"}. */
    private static Map<String, Object> changedFields(Requests.DatabaseBody body) {
        Map<String, Object> all = Json.mapper().convertValue(body, Json.mapper().getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        Map<String, Object> result = new LinkedHashMap<>();
        all.forEach((field, value) -> {
            if (value != null) {
                result.put(field, SECRET_FIELDS.contains(field) ? "<changed>" : value);
            }
        });
        return result;
    }
}
