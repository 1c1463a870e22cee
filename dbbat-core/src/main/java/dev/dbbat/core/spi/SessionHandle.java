package dev.dbbat.core.spi;

/**
 * Lets policy act on a live session from any thread. Implemented by each protocol module; thread-safe.
 */
public interface SessionHandle {

    /**
     * Ends the session: the client gets a fatal error in its own protocol carrying {@code message}, then both
     * connections close. Returns at once; calling it again, or on a closed session, does nothing.
     */
    void terminate(String message);

    /** Whether the session is still open. */
    boolean isOpen();
}
