package dev.dbbat.server.config;

/** {@code DBB_RUN_MODE}: production (empty), {@code test} or {@code demo}. */
public enum RunMode {
    PRODUCTION(""),
    TEST("test"),
    DEMO("demo");

    private final String text;

    RunMode(String text) {
        this.text = text;
    }

    /** The value as written in the configuration ({@code ""} for production). */
    public String text() {
        return text;
    }

    /** Whether the store is wiped and provisioned at start-up. */
    public boolean resetsStore() {
        return this != PRODUCTION;
    }
}
