package dev.dbbat.protocol.pg.sql;

import java.util.Set;

/**
 * Server functions whose call has a side effect (writes, locks, signals, server file access, running SQL given as
 * text) and the configuration parameters that matter to a read-only grant. Names are compared lower-cased, which is
 * right for unquoted names; a quoted {@code "NEXTVAL"} names another (non-existent) function.
 */
final class PgFunctions {

    private static final Set<String> SIDE_EFFECT = Set.of(
            "nextval",
            "setval",
            "set_config",
            "pg_terminate_backend",
            "pg_cancel_backend",
            "pg_reload_conf",
            "pg_rotate_logfile",
            "pg_rotate_logfile_old",
            "pg_notify",
            "lowrite",
            "loread",
            "pg_read_file",
            "pg_read_binary_file",
            "pg_stat_file",
            "pg_logical_emit_message",
            "pg_switch_wal",
            "pg_switch_xlog",
            "pg_promote",
            "pg_start_backup",
            "pg_stop_backup",
            "pg_backup_start",
            "pg_backup_stop",
            "pg_import_system_collations",
            "pg_stat_statements_reset",
            "pg_log_backend_memory_contexts",
            "pg_log_standby_snapshot",
            "pg_wal_replay_pause",
            "pg_wal_replay_resume",
            "pg_truncate_visibility_map",
            "pg_extension_config_dump",
            "query_to_xml",
            "query_to_xmlschema",
            "query_to_xml_and_xmlschema",
            "cursor_to_xml",
            "cursor_to_xmlschema",
            "ts_stat",
            "ts_rewrite");

    private static final String[] SIDE_EFFECT_PREFIXES = {
        "lo_",
        "dblink",
        "pg_advisory_",
        "pg_try_advisory_",
        "pg_file_",
        "pg_ls_",
        "pg_create_",
        "pg_drop_",
        "pg_copy_",
        "pg_replication_",
        "pg_logical_slot_",
        "pg_stat_reset",
        "pg_background",
        "binary_upgrade_"
    };

    /** Parameters whose change escapes a read-only grant. */
    private static final Set<String> READ_ONLY_GUARDS =
            Set.of("default_transaction_read_only", "transaction_read_only", "role", "session_authorization");

    /** Parameters that {@code set_config} may change under a read-only grant (pg_dump sets search_path). */
    private static final Set<String> SET_CONFIG_ALLOWED = Set.of(
            "search_path",
            "statement_timeout",
            "lock_timeout",
            "idle_in_transaction_session_timeout",
            "application_name",
            "datestyle",
            "intervalstyle",
            "timezone",
            "extra_float_digits",
            "work_mem",
            "client_min_messages",
            "bytea_output",
            "row_security",
            "restrict_nonsystem_relation_kind");

    /**
     * Client encodings in which the second byte of a character may be 0x5C (a backslash): bytes decoded with another
     * charset would not lex like the server lexes them. Names normalised like the server does (lower case, letters
     * and digits only).
     */
    private static final Set<String> UNSAFE_CLIENT_ENCODINGS = Set.of(
            "sjis",
            "shiftjis",
            "mskanji",
            "win932",
            "cp932",
            "shiftjis2004",
            "big5",
            "win950",
            "cp950",
            "gbk",
            "win936",
            "cp936",
            "gb18030",
            "uhc",
            "win949",
            "cp949",
            "johab");

    private PgFunctions() {}

    static boolean hasSideEffect(String name) {
        if (SIDE_EFFECT.contains(name)) {
            return true;
        }
        for (String prefix : SIDE_EFFECT_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static boolean isReadOnlyGuard(String parameter) {
        return READ_ONLY_GUARDS.contains(lowerAscii(parameter));
    }

    static boolean isSetConfigAllowed(String parameter) {
        return SET_CONFIG_ALLOWED.contains(lowerAscii(parameter));
    }

    static boolean isUnsafeClientEncoding(String encoding) {
        StringBuilder normalised = new StringBuilder(encoding.length());
        for (int i = 0; i < encoding.length(); i++) {
            char c = encoding.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                normalised.append(PgLexer.toLowerAscii(c));
            }
        }
        return UNSAFE_CLIENT_ENCODINGS.contains(normalised.toString());
    }

    /** Lower-cases ASCII letters only, like the server compares parameter names. */
    static String lowerAscii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            out.append(PgLexer.toLowerAscii(text.charAt(i)));
        }
        return out.toString();
    }
}
