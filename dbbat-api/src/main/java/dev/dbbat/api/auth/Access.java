package dev.dbbat.api.auth;

import dev.dbbat.api.ApiException;

/** The role (and authentication method) a route requires, checked after authentication and rate limiting. */
public enum Access {
    /** Any authenticated user. */
    ANY,
    /** Users with the admin role. */
    ADMIN,
    /** Users with the admin or viewer role. */
    ADMIN_OR_VIEWER,
    /** Any user, authenticated by web session or Basic auth (not an API key). */
    PASSWORD_AUTH,
    /** Admins authenticated by web session or Basic auth. */
    ADMIN_PASSWORD_AUTH;

    /** Throws 403 when {@code principal} may not call a route requiring this access. */
    public void check(Principal principal) {
        switch (this) {
            case ANY -> { }
            case ADMIN -> requireAdmin(principal);
            case ADMIN_OR_VIEWER -> {
                if (!principal.isAdminOrViewer()) {
                    throw ApiException.forbidden("admin or viewer access required");
                }
            }
            case PASSWORD_AUTH -> requirePasswordAuth(principal);
            case ADMIN_PASSWORD_AUTH -> {
                requireAdmin(principal);
                requirePasswordAuth(principal);
            }
        }
    }

    private static void requireAdmin(Principal principal) {
        if (!principal.isAdmin()) {
            throw ApiException.forbidden("admin access required");
        }
    }

    private static void requirePasswordAuth(Principal principal) {
        if (!principal.passwordAuthenticated()) {
            throw ApiException.forbidden("API keys cannot perform this operation");
        }
    }
}
