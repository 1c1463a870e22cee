package dev.dbbat.store.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.store.internal.Json;
import dev.dbbat.store.internal.Text;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;

/**
 * Encodes a {@link ResultRow} as {@code query_rows.row_data} JSON text: an object by column name when the row has
 * names (a duplicate name keeps the last value, a missing or empty name becomes {@code col_<i>} with the 0-based
 * index), else an array by position. Values: null, strings, integers, exact decimals, doubles (NaN and infinities as
 * strings), booleans, {@code byte[]} as {@code {"$bytes":"<base64>"}}, {@link ResultRow.JsonText} embedded (or as a
 * string when it is not valid JSON); anything else as its {@code toString()}. NUL characters become U+FFFD.
 *
 * <p>Stateless and thread-safe.
 */
public final class RowJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RowJson() {}

    /** The row's JSON text. */
    public static String encode(ResultRow row) {
        List<Object> values = row.values();
        List<String> names = row.columnNames();
        JsonNode result;
        if (names.isEmpty()) {
            ArrayNode array = NODES.arrayNode(values.size());
            for (Object each : values) {
                array.add(value(each));
            }
            result = array;
        } else {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < values.size(); i++) {
                String name = i < names.size() ? names.get(i) : null;
                object.set(name == null || name.isEmpty() ? "col_" + i : Text.clean(name), value(values.get(i)));
            }
            result = object;
        }
        try {
            return Json.mapper().writeValueAsString(result);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise a JSON tree", ex);
        }
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof String text) {
            return NODES.textNode(Text.clean(text));
        } else if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Integer number) {
            return NODES.numberNode(number);
        } else if (value instanceof Short number) {
            return NODES.numberNode(number);
        } else if (value instanceof BigDecimal number) {
            return DecimalNode.valueOf(number);
        } else if (value instanceof BigInteger number) {
            return NODES.numberNode(number);
        } else if (value instanceof Double number) {
            return Double.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(number.toString());
        } else if (value instanceof Float number) {
            return Float.isFinite(number) ? NODES.numberNode(number) : NODES.textNode(number.toString());
        } else if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        } else if (value instanceof byte[] bytes) {
            return NODES.objectNode().put("$bytes", Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof ResultRow.JsonText json) {
            return embedded(json.json());
        }
        return NODES.textNode(Text.clean(value.toString()));
    }

    private static JsonNode embedded(String json) {
        try {
            JsonNode parsed = Json.mapper().readTree(json);
            if (parsed == null || parsed.isMissingNode() || containsNul(json)) {
                return NODES.textNode(Text.clean(json));
            }
            return parsed;
        } catch (JsonProcessingException ex) {
            return NODES.textNode(Text.clean(json));
        }
    }

    private static boolean containsNul(String json) {
        return json.indexOf('\u0000') >= 0 || json.contains("\\u0000");
    }
}
