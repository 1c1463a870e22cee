package dev.dbbat.api.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.api.ApiException;
import dev.dbbat.api.Json;
import dev.dbbat.api.auth.Principal;
import dev.dbbat.api.dto.Views;
import dev.dbbat.store.AuditFilter;
import dev.dbbat.store.AuditRepository;
import dev.dbbat.store.ConnectionFilter;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.ConnectionRepository;
import dev.dbbat.store.QueryFilter;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.QueryRepository;
import dev.dbbat.store.RowsPage;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Connections, queries (with captured rows) and the audit log: read only, newest first, keyset paging. */
public final class ObservabilityHandler {
    private final ConnectionRepository connections;
    private final QueryRepository queries;
    private final AuditRepository audit;
    private final long rowsPageBytes;

    public ObservabilityHandler(ConnectionRepository connections, QueryRepository queries, AuditRepository audit,
            long rowsPageBytes) {
        this.connections = connections;
        this.queries = queries;
        this.audit = audit;
        this.rowsPageBytes = rowsPageBytes;
    }

    public void connections(Context ctx, Principal principal) {
        Optional<UUID> userId = principal.isAdminOrViewer() ? Params.queryUuid(ctx, "user_id")
                : Optional.of(principal.user().uid());
        ConnectionFilter filter = new ConnectionFilter(userId, Params.queryUuid(ctx, "database_id"),
                Params.bool(ctx, "open_only"), Params.queryUuid(ctx, "before"), Params.limit(ctx),
                Params.offset(ctx));
        ctx.json(Map.of("connections", connections.list(filter).stream().map(Views.ConnectionView::of).toList()));
    }

    /** One connection: admins and viewers see any, other users only their own (403 otherwise). */
    public void connection(Context ctx, Principal principal) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid connection UID");
        ConnectionRecord connection = connections.get(uid)
                .orElseThrow(() -> ApiException.notFound("connection not found"));
        if (!principal.isAdminOrViewer() && !connection.userId().equals(principal.user().uid())) {
            throw ApiException.forbidden("no access to this connection");
        }
        ctx.json(Views.ConnectionView.of(connection));
    }

    public void queries(Context ctx, Principal principal) {
        QueryFilter filter = new QueryFilter(Params.queryUuid(ctx, "connection_id"), Params.queryUuid(ctx, "user_id"),
                Params.queryUuid(ctx, "database_id"), Params.queryTime(ctx, "start_time"),
                Params.queryTime(ctx, "end_time"), Params.queryUuid(ctx, "before"), Params.limit(ctx),
                Params.offset(ctx));
        ctx.json(Map.of("queries", queries.list(filter).stream().map(Views.QueryView::of).toList()));
    }

    public void query(Context ctx, Principal principal) {
        ctx.json(Views.QueryView.of(findQuery(ctx)));
    }

    public void rows(Context ctx, Principal principal) {
        QueryRecord query = findQuery(ctx);
        int limit = Params.integer(ctx, "limit", Params.DEFAULT_LIMIT);
        if (limit < 1 || limit > Params.MAX_LIMIT || !isIntegerOrAbsent(ctx.queryParam("limit"))) {
            throw ApiException.validation("invalid limit");
        }
        long offset = cursorOffset(ctx.queryParam("cursor"));
        RowsPage page = queries.rows(query.uid(), offset, limit, rowsPageBytes);
        String next = page.hasMore() ? encodeCursor(page.nextOffset()) : null;
        ctx.json(new Views.RowsPageView(page.rows().stream().map(Views.RowView::of).toList(), next, page.hasMore(),
                page.totalRows()));
    }

    public void audit(Context ctx, Principal principal) {
        AuditFilter filter = new AuditFilter(Optional.ofNullable(ctx.queryParam("event_type"))
                        .filter(value -> !value.isBlank()), Params.queryUuid(ctx, "user_id"),
                Params.queryUuid(ctx, "performed_by"), Params.queryTime(ctx, "start_time"),
                Params.queryTime(ctx, "end_time"), Params.queryUuid(ctx, "before"), Params.limit(ctx),
                Params.offset(ctx));
        ctx.json(Map.of("audit_events", audit.list(filter).stream().map(Views.AuditEventView::of).toList()));
    }

    private QueryRecord findQuery(Context ctx) {
        UUID uid = Params.pathUuid(ctx, "uid", "invalid query UID");
        return queries.get(uid).orElseThrow(() -> ApiException.notFound("query not found"));
    }

    private static boolean isIntegerOrAbsent(String value) {
        return value == null || value.isBlank() || value.trim().matches("-?\\d{1,9}");
    }

    static String encodeCursor(long offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\":" + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    static long cursorOffset(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            JsonNode node = Json.mapper().readTree(Base64.getDecoder().decode(cursor));
            JsonNode offset = node == null ? null : node.get("offset");
            if (offset == null || !offset.canConvertToLong() || !offset.isIntegralNumber() || offset.asLong() < 0) {
                throw ApiException.validation("invalid cursor");
            }
            return offset.asLong();
        } catch (IllegalArgumentException | java.io.IOException ex) {
            throw ApiException.validation("invalid cursor");
        }
    }
}
