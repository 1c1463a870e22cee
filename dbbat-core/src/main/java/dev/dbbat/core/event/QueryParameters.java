package dev.dbbat.core.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Bound parameters of a statement, as stored in {@code queries.parameters}. Immutable and thread-safe.
 *
 * <p>A protocol module may create them {@linkplain #deferred deferred}: the values are then rendered as text (and
 * base64) by the first thread that reads them, usually the store writer's, not by the event loop that received the
 * statement. Equality and the accessors do not depend on when that happens.
 */
public final class QueryParameters {
    private final Supplier<QueryParameters> render;
    private volatile Lists lists;

    /**
     * @param values each value rendered as text (NULL as {@code null})
     * @param raw each value's bytes as sent, base64 (empty list when not kept)
     * @param formatCodes per-value format code (0 text, 1 binary), empty when not applicable
     * @param typeOids per-value type identifiers, empty when unknown
     */
    public QueryParameters(List<String> values, List<String> raw, List<Integer> formatCodes, List<Long> typeOids) {
        Objects.requireNonNull(values, "values");
        this.lists = new Lists(Collections.unmodifiableList(new ArrayList<>(values)), List.copyOf(raw),
                List.copyOf(formatCodes), List.copyOf(typeOids));
        this.render = null;
    }

    private QueryParameters(Supplier<QueryParameters> render) {
        this.render = Objects.requireNonNull(render, "render");
    }

    public static QueryParameters ofValues(List<String> values) {
        return new QueryParameters(values, List.of(), List.of(), List.of());
    }

    /**
     * Parameters rendered on first access by {@code render}, which must be deterministic and must not hold mutable
     * state (it may run more than once when threads race; one result wins).
     */
    public static QueryParameters deferred(Supplier<QueryParameters> render) {
        return new QueryParameters(render);
    }

    /** Each value rendered as text (NULL as {@code null}). */
    public List<String> values() {
        return lists().values;
    }

    /** Each value's bytes as sent, base64 (empty list when not kept). */
    public List<String> raw() {
        return lists().raw;
    }

    /** Per-value format code (0 text, 1 binary), empty when not applicable. */
    public List<Integer> formatCodes() {
        return lists().formatCodes;
    }

    /** Per-value type identifiers, empty when unknown. */
    public List<Long> typeOids() {
        return lists().typeOids;
    }

    private Lists lists() {
        Lists result = lists;
        if (result == null) {
            result = lists = Objects.requireNonNull(render.get(), "rendered parameters").lists();
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueryParameters that && lists().equals(that.lists());
    }

    @Override
    public int hashCode() {
        return lists().hashCode();
    }

    @Override
    public String toString() {
        Lists all = lists();
        return "QueryParameters[values=" + all.values + ", raw=" + all.raw + ", formatCodes=" + all.formatCodes
                + ", typeOids=" + all.typeOids + "]";
    }

    private record Lists(List<String> values, List<String> raw, List<Integer> formatCodes, List<Long> typeOids) {}
}
