package dev.dbbat.api;

import dev.dbbat.api.auth.Access;
import dev.dbbat.api.auth.Guard;
import dev.dbbat.api.handler.ApiKeyHandler;
import dev.dbbat.api.handler.AuthHandler;
import dev.dbbat.api.handler.DatabaseHandler;
import dev.dbbat.api.handler.GrantHandler;
import dev.dbbat.api.handler.OAuthHandler;
import dev.dbbat.api.handler.ObservabilityHandler;
import dev.dbbat.api.handler.SystemHandler;
import dev.dbbat.api.handler.UserHandler;
import io.javalin.config.JavalinConfig;
import java.util.Optional;

/**
 * Every route of {@code /api/v1}, in one place. The OpenAPI document describes exactly these; operations marked
 * {@code x-dbbat-requires: slack} exist only when Slack sign-in is configured ({@link ApiDocs} drops them otherwise).
 */
final class ApiRoutes {
    static final String PREFIX = "/api/v1";

    /** The handlers the routes delegate to. */
    record Services(Guard guard, SystemHandler system, AuthHandler auth, UserHandler users,
            DatabaseHandler databases, GrantHandler grants, ApiKeyHandler keys, ObservabilityHandler observability,
            Optional<OAuthHandler> oauth) {}

    private ApiRoutes() {}

    static void configure(JavalinConfig config, Services s) {
        var r = config.routes;
        Guard g = s.guard();
        r.get(PREFIX + "/health", s.system()::health);
        r.get(PREFIX + "/version", s.system()::version);

        r.post(PREFIX + "/auth/login", g.anonymous(s.auth()::login));
        r.put(PREFIX + "/auth/password", g.anonymous(s.auth()::changeOwnPassword));
        r.get(PREFIX + "/auth/providers", s.system()::providers);
        r.post(PREFIX + "/auth/logout", g.secured(Access.ANY, s.auth()::logout));
        r.get(PREFIX + "/auth/me", g.secured(Access.ANY, s.auth()::me));
        s.oauth().ifPresent(oauth -> {
            r.get(PREFIX + "/auth/slack", g.anonymous(oauth::slackStart));
            r.get(PREFIX + "/auth/slack/callback", g.anonymous(oauth::slackCallback));
            r.post(PREFIX + "/auth/oauth/exchange", g.anonymous(oauth::exchange));
        });

        r.post(PREFIX + "/users", g.secured(Access.ADMIN, s.users()::create));
        r.get(PREFIX + "/users", g.secured(Access.ANY, s.users()::list));
        r.get(PREFIX + "/users/{uid}", g.secured(Access.ANY, s.users()::get));
        r.put(PREFIX + "/users/{uid}", g.secured(Access.ANY, s.users()::update));
        r.delete(PREFIX + "/users/{uid}", g.secured(Access.ADMIN, s.users()::delete));
        r.put(PREFIX + "/users/{uid}/password", g.anonymous(s.auth()::changeUserPassword));
        r.post(PREFIX + "/users/{uid}/reset-password", g.secured(Access.ADMIN, s.users()::resetPassword));

        r.post(PREFIX + "/databases", g.secured(Access.ADMIN, s.databases()::create));
        r.get(PREFIX + "/databases", g.secured(Access.ANY, s.databases()::list));
        r.get(PREFIX + "/databases/{uid}", g.secured(Access.ANY, s.databases()::get));
        r.put(PREFIX + "/databases/{uid}", g.secured(Access.ADMIN, s.databases()::update));
        r.delete(PREFIX + "/databases/{uid}", g.secured(Access.ADMIN, s.databases()::delete));

        r.post(PREFIX + "/grants", g.secured(Access.ADMIN, s.grants()::create));
        r.get(PREFIX + "/grants", g.secured(Access.ANY, s.grants()::list));
        r.get(PREFIX + "/grants/{uid}", g.secured(Access.ANY, s.grants()::get));
        r.delete(PREFIX + "/grants/{uid}", g.secured(Access.ADMIN, s.grants()::revoke));

        r.post(PREFIX + "/keys", g.secured(Access.PASSWORD_AUTH, s.keys()::create));
        r.get(PREFIX + "/keys", g.secured(Access.ANY, s.keys()::list));
        r.get(PREFIX + "/keys/{id}", g.secured(Access.ANY, s.keys()::get));
        r.delete(PREFIX + "/keys/{id}", g.secured(Access.PASSWORD_AUTH, s.keys()::revoke));

        r.get(PREFIX + "/connections", g.secured(Access.ANY, s.observability()::connections));
        r.get(PREFIX + "/connections/{uid}", g.secured(Access.ANY, s.observability()::connection));
        r.get(PREFIX + "/queries", g.secured(Access.ADMIN_OR_VIEWER, s.observability()::queries));
        r.get(PREFIX + "/queries/{uid}", g.secured(Access.ADMIN_OR_VIEWER, s.observability()::query));
        r.get(PREFIX + "/queries/{uid}/rows", g.secured(Access.ADMIN_OR_VIEWER, s.observability()::rows));
        r.get(PREFIX + "/audit", g.secured(Access.ADMIN_OR_VIEWER, s.observability()::audit));
    }
}
