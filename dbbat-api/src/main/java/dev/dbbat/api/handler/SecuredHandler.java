package dev.dbbat.api.handler;

import dev.dbbat.api.auth.Principal;
import io.javalin.http.Context;

/** A route handler that runs once the caller is authenticated, rate-limited and authorised. */
@FunctionalInterface
public interface SecuredHandler {
    void handle(Context ctx, Principal principal) throws Exception;
}
