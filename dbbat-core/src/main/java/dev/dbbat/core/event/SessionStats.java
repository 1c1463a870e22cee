package dev.dbbat.core.event;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of one session. The protocol module increments them on its event loop; anyone may read them.
 * Thread-safe.
 */
public final class SessionStats {
    private final AtomicLong bytesFromClient = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private volatile long lastActivityNanos = System.nanoTime();

    public void addBytesFromClient(long bytes) {
        bytesFromClient.addAndGet(bytes);
        lastActivityNanos = System.nanoTime();
    }

    public void addBytesToClient(long bytes) {
        bytesToClient.addAndGet(bytes);
    }

    public void addQuery() {
        queries.incrementAndGet();
    }

    public long bytesFromClient() {
        return bytesFromClient.get();
    }

    public long bytesToClient() {
        return bytesToClient.get();
    }

    /** Every byte read from or written to the client socket. */
    public long bytesTransferred() {
        return bytesFromClient.get() + bytesToClient.get();
    }

    public long queries() {
        return queries.get();
    }

    /** {@link System#nanoTime()} of the last byte received from the client. */
    public long lastActivityNanos() {
        return lastActivityNanos;
    }
}
