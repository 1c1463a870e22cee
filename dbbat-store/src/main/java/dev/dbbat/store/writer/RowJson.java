package dev.dbbat.store.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.store.internal.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link ResultRow} as {@code query_rows.row_data} JSON text: an object by column name when the row has
 * names (a duplicate name keeps the last value, at the position of its first occurrence; a missing or empty name
 * becomes {@code col_<i>} with the 0-based index), else an array by position. Values: null, strings, integers, exact
 * decimals, doubles (NaN and infinities as strings), booleans, {@code byte[]} as {@code {"$bytes":"<base64>"}},
 * {@link ResultRow.JsonText} embedded (or as a string when it is not valid JSON); anything else as its
 * {@code toString()}. NUL characters become U+FFFD.
 *
 * <p>The text is written straight into a caller's {@link StringBuilder} (no tree, no intermediate string per value),
 * so that the writer can stream rows into a COPY. An instance remembers the object keys of the last column-name list
 * it saw (the rows of one statement share it): instances are not thread-safe; {@link #encode} is.
 */
public final class RowJson {

    /** Column names the cached keys were built for (compared by identity), and the value count. */
    private List<String> plannedNames;
    private int plannedCount = -1;
    /** Keys as JSON text ({@code "name":}), and for each the index of the value written under it. */
    private String[] keys;
    private int[] valueIndex;

    /** A new encoder (for one thread). */
    public RowJson() {}

    /** The row's JSON text. Thread-safe. */
    public static String encode(ResultRow row) {
        StringBuilder out = new StringBuilder(64);
        new RowJson().append(out, row);
        return out.toString();
    }

    /** Appends the row's JSON text to {@code out}. */
    public void append(StringBuilder out, ResultRow row) {
        List<Object> values = row.values();
        List<String> names = row.columnNames();
        if (names.isEmpty()) {
            out.append('[');
            for (int i = 0, n = values.size(); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(out, values.get(i));
            }
            out.append(']');
            return;
        }
        plan(names, values.size());
        out.append('{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(keys[i]);
            value(out, values.get(valueIndex[i]));
        }
        out.append('}');
    }

    private void plan(List<String> names, int count) {
        if (names == plannedNames && count == plannedCount) {
            return;
        }
        Map<String, Integer> last = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = i < names.size() ? names.get(i) : null;
            last.put(name == null || name.isEmpty() ? "col_" + i : clean(name), i);
        }
        keys = new String[last.size()];
        valueIndex = new int[last.size()];
        int at = 0;
        StringBuilder key = new StringBuilder();
        for (Map.Entry<String, Integer> each : last.entrySet()) {
            key.setLength(0);
            string(key, each.getKey());
            keys[at] = key.append(':').toString();
            valueIndex[at++] = each.getValue();
        }
        plannedNames = names;
        plannedCount = count;
    }

    private static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(out, text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof BigInteger || value instanceof BigDecimal) {
            out.append(value);
        } else if (value instanceof Double number) {
            if (Double.isFinite(number)) {
                out.append(number.doubleValue());
            } else {
                string(out, number.toString());
            }
        } else if (value instanceof Float number) {
            if (Float.isFinite(number)) {
                out.append(number.floatValue());
            } else {
                string(out, number.toString());
            }
        } else if (value instanceof Boolean flag) {
            out.append(flag.booleanValue());
        } else if (value instanceof byte[] bytes) {
            out.append("{\"$bytes\":\"").append(Base64.getEncoder().encodeToString(bytes)).append("\"}");
        } else if (value instanceof ResultRow.JsonText json) {
            embedded(out, json.json());
        } else {
            string(out, value.toString());
        }
    }

    /** Valid JSON is embedded (compacted); anything else, or JSON holding a NUL (JSONB refuses it), as a string. */
    private static void embedded(StringBuilder out, String json) {
        if (json.indexOf('\u0000') < 0 && !json.contains("\\u0000")) {
            try {
                JsonNode parsed = Json.mapper().readTree(json);
                if (parsed != null && !parsed.isMissingNode()) {
                    out.append(Json.mapper().writeValueAsString(parsed));
                    return;
                }
            } catch (JsonProcessingException ex) {
                // not JSON: stored as a string
            }
        }
        string(out, json);
    }

    private static void string(StringBuilder out, String text) {
        Json.appendString(out, text);
    }

    private static String clean(String name) {
        return name.indexOf('\u0000') < 0 ? name : name.replace('\u0000', '\uFFFD');
    }
}
