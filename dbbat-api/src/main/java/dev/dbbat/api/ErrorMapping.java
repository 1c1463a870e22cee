package dev.dbbat.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as {@code {"error":{"code","message"[,"retry_after"]}}}. Constraint violations become 409 or
 * 400; anything unexpected becomes a 500 with a generic message, logged without request data or bound values.
 */
final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final String RENDERED = "dbbat.error.rendered";
    static final String INTERNAL_MESSAGE = "An internal error occurred. Please try again.";

    private ErrorMapping() {}

    static void install(JavalinConfig config) {
        config.routes.exception(ApiException.class, (ex, ctx) -> render(ctx, ex));
        config.routes.exception(JdbiException.class, (ex, ctx) -> render(ctx, fromDatabase(ctx, ex)));
        config.routes.exception(HttpResponseException.class, (ex, ctx) ->
                render(ctx, new ApiException(ex.getStatus(), ex.getStatus() == 404 ? "NOT_FOUND" : "BAD_REQUEST",
                        ex.getStatus() >= 500 ? INTERNAL_MESSAGE : ex.getMessage())));
        config.routes.exception(Exception.class, (ex, ctx) -> {
            LOG.error("unexpected error on {} {}: {}", ctx.method(), ctx.path(), ex.getClass().getName(), ex);
            render(ctx, new ApiException(500, "INTERNAL_ERROR", INTERNAL_MESSAGE));
        });
        config.routes.error(404, ctx -> {
            if (ctx.attribute(RENDERED) == null && ctx.path().startsWith("/api/")) {
                render(ctx, ApiException.notFound("route not found"));
            }
        });
        config.routes.error(405, ctx -> {
            if (ctx.attribute(RENDERED) == null && ctx.path().startsWith("/api/")) {
                render(ctx, new ApiException(405, "METHOD_NOT_ALLOWED", "method not allowed"));
            }
        });
    }

    static void render(Context ctx, ApiException ex) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", ex.code());
        error.put("message", ex.getMessage());
        if (ex.retryAfterSeconds() > 0) {
            error.put("retry_after", ex.retryAfterSeconds());
            ctx.header("Retry-After", Long.toString(ex.retryAfterSeconds()));
        }
        ctx.attribute(RENDERED, Boolean.TRUE);
        ctx.status(ex.status()).json(Map.of("error", error));
    }

    private static ApiException fromDatabase(Context ctx, JdbiException ex) {
        String state = sqlState(ex);
        if (state != null) {
            switch (state) {
                case "23505":
                    return ApiException.conflict("DUPLICATE_NAME", "a row with this name already exists");
                case "23503":
                    return ApiException.validation("a referenced user or database does not exist");
                case "23514", "23502", "22P02", "22001", "22003", "22007", "22008", "22023":
                    return ApiException.validation("invalid value");
                default:
                    break;
            }
        }
        LOG.error("store error on {} {}: {} (SQLState {})", ctx.method(), ctx.path(),
                ex.getClass().getSimpleName(), state);
        return new ApiException(500, "INTERNAL_ERROR", INTERNAL_MESSAGE);
    }

    private static String sqlState(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
