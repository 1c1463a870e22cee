package dev.dbbat.api.handler;

import dev.dbbat.api.ApiException;
import dev.dbbat.store.AuditFilter;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/** Parsing of path and query parameters; every malformed value is a 400, never a 500. */
final class Params {
    /** The store's list bounds: the limit the API accepts is the one the repositories clamp or check against. */
    static final int DEFAULT_LIMIT = AuditFilter.DEFAULT_LIMIT;
    static final int MAX_LIMIT = AuditFilter.MAX_LIMIT;

    private Params() {}

    static UUID pathUuid(Context ctx, String name, String message) {
        return parseUuid(ctx.pathParam(name)).orElseThrow(() -> ApiException.validation(message));
    }

    static Optional<UUID> queryUuid(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parseUuid(value).orElseThrow(() -> ApiException.validation("invalid " + name)));
    }

    static Optional<UUID> parseUuid(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    static Optional<Instant> queryTime(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException ex) {
            throw ApiException.validation("invalid " + name + ": RFC 3339 expected");
        }
    }

    /** {@code limit} clamped to 1..1000; absent or not a number = 100. */
    static int limit(Context ctx) {
        return Math.max(1, Math.min(MAX_LIMIT, integer(ctx, "limit", DEFAULT_LIMIT)));
    }

    /** {@code offset} clamped to {@code >= 0}; absent or not a number = 0. */
    static int offset(Context ctx) {
        return Math.max(0, integer(ctx, "offset", 0));
    }

    static int integer(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException ex) {
            return fallback;
        }
    }

    static boolean bool(Context ctx, String name) {
        return "true".equalsIgnoreCase(ctx.queryParam(name)) || "1".equals(ctx.queryParam(name));
    }

    static String required(String value, String message) {
        if (value == null || value.isEmpty()) {
            throw ApiException.validation(message);
        }
        return value;
    }
}
