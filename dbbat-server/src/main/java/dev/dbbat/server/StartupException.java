package dev.dbbat.server;

/** Start-up cannot go on; {@link #getMessage()} is the one line printed, {@link #exitCode()} the process status. */
final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A configuration problem: bad value, unreachable store, home in use. */
    static final int CONFIG = 2;
    /** Anything else. */
    static final int FAILURE = 1;

    private final int exitCode;

    StartupException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
