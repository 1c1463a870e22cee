package dev.dbbat.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dbbat.store.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The guard that keeps secrets out of {@code audit_log.details} (behaviour §3.8 [bug], §12 #1): the value of any key
 * named {@code password}, {@code new_password}, {@code current_password}, {@code old_password}, {@code key},
 * {@code api_key}, {@code token}, {@code secret} or {@code client_secret} (any case, at any depth, in maps and lists)
 * becomes {@value #REDACTED}. The marker {@value #CHANGED} is kept as is, so callers can record that a secret changed.
 *
 * <p>Stateless and thread-safe.
 */
public final class AuditRedaction {
    /** What a secret value is replaced with. */
    public static final String REDACTED = "<redacted>";
    /** A marker callers may store under a secret key to say "it changed". */
    public static final String CHANGED = "<changed>";
    private static final Set<String> SECRET_KEYS = Set.of("password", "new_password", "current_password",
            "old_password", "key", "api_key", "token", "secret", "client_secret");

    private AuditRedaction() {}

    /** Whether values under {@code key} are secrets. */
    public static boolean isSecretKey(String key) {
        return SECRET_KEYS.contains(key.toLowerCase(Locale.ROOT));
    }

    /**
     * A JSON-normalised copy of {@code details} with every secret value redacted. Values are converted to plain JSON
     * types (maps, lists, strings, numbers, booleans, null), so java.time values become ISO-8601 strings.
     */
    public static Map<String, Object> redact(Map<String, Object> details) {
        JsonNode tree = Json.mapper().valueToTree(details);
        redactNode(tree);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = Json.mapper().convertValue(tree, LinkedHashMap.class);
        return result == null ? new LinkedHashMap<>() : result;
    }

    private static void redactNode(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String each : names) {
                JsonNode value = object.get(each);
                if (isSecretKey(each) && !(value.isNull() || CHANGED.equals(value.asText(null)))) {
                    object.set(each, TextNode.valueOf(REDACTED));
                } else {
                    redactNode(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(AuditRedaction::redactNode);
        }
    }
}
