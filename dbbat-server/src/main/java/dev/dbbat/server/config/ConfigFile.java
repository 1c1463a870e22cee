package dev.dbbat.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a config file (YAML, JSON or TOML, chosen by extension, YAML otherwise) into the flat variable names of the
 * environment: {@code query_storage: {max_result_rows: 5}} becomes {@code DBB_QUERY_STORAGE_MAX_RESULT_ROWS=5},
 * {@code mysql: {tls: {disable: true}}} becomes {@code DBB_MYSQL_TLS_DISABLE=true}, {@code listen_api} becomes
 * {@code DBB_LISTEN_API}.
 */
final class ConfigFile {
    private ConfigFile() {}

    /**
     * @param path the file
     * @param variable how to name the file's origin in errors ({@code DBB_CONFIG} or {@code --config})
     */
    static Map<String, String> read(Path path, String variable) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        if (name.endsWith(".json")) {
            mapper = new ObjectMapper();
        } else if (name.endsWith(".toml")) {
            mapper = new TomlMapper();
        } else {
            mapper = new YAMLMapper();
        }
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(path));
        } catch (NoSuchFileException ex) {
            throw ConfigException.invalid(variable, path.toString(), "no such file");
        } catch (JacksonException ex) {
            throw ConfigException.invalid(variable, path.toString(),
                    "cannot parse: " + ex.getOriginalMessage().lines().findFirst().orElse("syntax error"));
        } catch (IOException ex) {
            throw ConfigException.invalid(variable, path.toString(), "cannot read: " + ex.getMessage());
        }
        Map<String, String> result = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return result;
        }
        if (!root.isObject()) {
            throw ConfigException.invalid(variable, path.toString(), "the top level must be a mapping");
        }
        flatten("DBB", root, result, variable, path);
        return result;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, String variable, Path path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + "_" + field.getKey().trim().replace('-', '_').replace('.', '_')
                    .toUpperCase(Locale.ROOT);
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(name, value, out, variable, path);
            } else if (value.isNull()) {
                out.put(name, "");
            } else if (value.isValueNode()) {
                out.put(name, value.asText());
            } else {
                throw ConfigException.invalid(variable, path.toString(),
                        "key " + field.getKey() + " must be a single value, not a list");
            }
        }
    }
}
