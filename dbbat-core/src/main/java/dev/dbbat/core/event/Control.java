package dev.dbbat.core.event;

import java.util.Locale;
import java.util.Optional;

/** The restrictions a grant may carry. An empty set of controls means full access. */
public enum Control {
    READ_ONLY,
    BLOCK_COPY,
    BLOCK_DDL;

    /** The identifier used in the store and the REST API, e.g. {@code read_only}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code read_only}, {@code block_copy} or {@code block_ddl}; empty when unknown. */
    public static Optional<Control> fromId(String id) {
        for (Control each : values()) {
            if (each.id().equals(id)) {
                return Optional.of(each);
            }
        }
        return Optional.empty();
    }
}
