package dev.dbbat.server.config;

/** {@code DBB_LOG_FORMAT}: human-readable lines, or one JSON object per line. */
public enum LogFormat {
    TEXT,
    JSON
}
