package dev.dbbat.store.internal;

/** Text helpers for values bound to PostgreSQL. Internal: no compatibility promise. */
public final class Text {
    private Text() {}

    /** PostgreSQL text and JSONB cannot hold NUL: it becomes U+FFFD. {@code null} stays {@code null}. */
    public static String clean(String value) {
        return value == null || value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
    }
}
