package dev.dbbat.store;

/** The store failed: unreachable, misconfigured, or a statement failed for a reason callers cannot fix. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
