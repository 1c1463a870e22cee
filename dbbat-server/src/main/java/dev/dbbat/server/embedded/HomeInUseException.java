package dev.dbbat.server.embedded;

import java.nio.file.Path;

/** Another DBBat server holds the lock on the home directory. */
public final class HomeInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HomeInUseException(Path home, String holder) {
        super("another DBBat server is using " + home + " (lock held" + holder + ")");
    }
}
