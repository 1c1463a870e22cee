package dev.dbbat.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.JdbiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whoever keeps copies of login data (users, API keys, databases, grants) that this process changed it: the
 * repositories call {@link #changed(Jdbi)} after each such write, and a login cache subscribes with
 * {@link #listen(Jdbi, Runnable)}. Kept in the {@link Jdbi}'s configuration, so every repository built on the same
 * {@code Jdbi} reaches the same listeners without being wired to them. Writes made by another process (another
 * server, {@code psql}) are not seen: caches must also expire on their own.
 *
 * <p>Thread-safe: every copy Jdbi makes of this configuration (one per handle) shares the listener list.
 */
public final class LoginDataChanges implements JdbiConfig<LoginDataChanges> {
    private static final Logger LOG = LoggerFactory.getLogger(LoginDataChanges.class);

    private final List<Runnable> listeners;

    /** For Jdbi, which creates the first instance of a configuration class on demand. */
    public LoginDataChanges() {
        this(new CopyOnWriteArrayList<>());
    }

    private LoginDataChanges(List<Runnable> listeners) {
        this.listeners = listeners;
    }

    @Override
    public LoginDataChanges createCopy() {
        return new LoginDataChanges(listeners);
    }

    /** Runs {@code listener} (on the writing thread, so it must be quick) after every change made through jdbi. */
    public static void listen(Jdbi jdbi, Runnable listener) {
        jdbi.getConfig(LoginDataChanges.class).listeners.add(listener);
    }

    /** Removes a listener added with {@link #listen}. */
    public static void unlisten(Jdbi jdbi, Runnable listener) {
        jdbi.getConfig(LoginDataChanges.class).listeners.remove(listener);
    }

    /** Called by the repositories after they wrote users, API keys, databases or grants. */
    static void changed(Jdbi jdbi) {
        for (Runnable each : jdbi.getConfig(LoginDataChanges.class).listeners) {
            try {
                each.run();
            } catch (RuntimeException ex) {
                LOG.error("a login data listener failed: {}", ex.toString());
            }
        }
    }
}
