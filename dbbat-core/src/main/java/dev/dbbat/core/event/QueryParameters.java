package dev.dbbat.core.event;

import java.util.List;
import java.util.Objects;

/**
 * Bound parameters of a statement, as stored in {@code queries.parameters}.
 *
 * @param values each value rendered as text (NULL as {@code null})
 * @param raw each value's bytes as sent, base64 (empty list when not kept)
 * @param formatCodes per-value format code (0 text, 1 binary), empty when not applicable
 * @param typeOids per-value type identifiers, empty when unknown
 */
public record QueryParameters(List<String> values, List<String> raw, List<Integer> formatCodes, List<Long> typeOids) {

    public QueryParameters {
        Objects.requireNonNull(values, "values");
        values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        raw = List.copyOf(raw);
        formatCodes = List.copyOf(formatCodes);
        typeOids = List.copyOf(typeOids);
    }

    public static QueryParameters ofValues(List<String> values) {
        return new QueryParameters(values, List.of(), List.of(), List.of());
    }
}
