package dev.dbbat.protocol.pg.session;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which client startup parameters reach the upstream, and the upstream {@code application_name} tag.
 *
 * <p>Only session settings that cannot widen access are forwarded (a startup parameter can set any GUC, e.g.
 * {@code role}). {@code options} is forwarded only when every {@code -c name=value} in it names such a setting.
 * {@code user} and {@code database} always come from the target. Stateless.
 */
final class StartupParameters {
    private static final Set<String> FORWARDED = Set.of("client_encoding", "datestyle", "timezone",
            "extra_float_digits", "search_path", "intervalstyle", "lc_monetary", "lc_numeric", "lc_time",
            "bytea_output", "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout", "geqo",
            "standard_conforming_strings", "jit", "work_mem", "default_text_search_config");
    private static final int MAX_APPLICATION_NAME_BYTES = 63;

    private StartupParameters() {}

    static Map<String, String> forwarded(Map<String, String> client) {
        Map<String, String> result = new LinkedHashMap<>();
        client.forEach((name, value) -> {
            if (FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                result.put(name, value);
            } else if (name.equals("options") && optionsAreSafe(value)) {
                result.put(name, value);
            }
        });
        return result;
    }

    static boolean optionsAreSafe(String options) {
        String[] words = options.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (word.isEmpty()) {
                continue;
            }
            String setting;
            if (word.equals("-c") && i + 1 < words.length) {
                setting = words[++i];
            } else if (word.startsWith("-c")) {
                setting = word.substring(2);
            } else if (word.startsWith("--")) {
                setting = word.substring(2);
            } else {
                return false;
            }
            int equals = setting.indexOf('=');
            String name = (equals < 0 ? setting : setting.substring(0, equals)).replace('-', '_');
            if (!FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** {@code dbbat/<version> @<user>[ for <client app>]}, cut to 63 bytes on a character boundary. */
    static String applicationName(String version, String username, String clientApplication) {
        String tag = "dbbat/" + version + " @" + username;
        if (clientApplication != null && !clientApplication.isEmpty()) {
            tag += " for " + clientApplication;
        }
        StringBuilder result = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < tag.length(); ) {
            int codePoint = tag.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_APPLICATION_NAME_BYTES) {
                break;
            }
            result.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return result.toString();
    }
}
