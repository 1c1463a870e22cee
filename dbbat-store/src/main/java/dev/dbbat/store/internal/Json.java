package dev.dbbat.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The store's JSON codec for JSONB columns: java.time as ISO-8601 strings, Optional unwrapped, exact decimals.
 * Internal: no compatibility promise. Thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private Json() {}

    /** The shared mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serialises a value to JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("value is not serialisable to JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /** Parses a JSON object into an insertion-ordered map; {@code null}, empty text or JSON null give an empty map. */
    public static Map<String, Object> readMap(String json) {
        if (json == null || json.isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> result = MAPPER.readValue(json, MAP);
            return result == null ? new LinkedHashMap<>() : result;
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("stored JSON is not an object: " + ex.getOriginalMessage(), ex);
        }
    }
}
