package dev.dbbat.server;

import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.server.embedded.EmbeddedStore;
import dev.dbbat.server.embedded.HomeInUseException;
import dev.dbbat.store.PostgresDsn;
import dev.dbbat.store.Store;
import dev.dbbat.store.StoreException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the store: the configured {@code DBB_DSN}, or the embedded PostgreSQL under the home directory. Every
 * resource it starts is registered with the {@link Lifecycle}, so a failure later in start-up still stops it.
 */
final class StoreBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(StoreBootstrap.class);
    static final int POOL_SIZE = 16;
    static final long CONNECT_TIMEOUT_MILLIS = 5_000;

    /**
     * The opened store and its DSN.
     *
     * @param store the store
     * @param dsn the DSN it was opened with (the embedded one when {@code DBB_DSN} is unset)
     */
    record Opened(Store store, PostgresDsn dsn) {}

    private StoreBootstrap() {}

    /**
     * @throws StartupException exit 2 when the configured DSN is unreachable or the home is in use
     */
    static Opened open(ServerConfig config, Lifecycle lifecycle) {
        PostgresDsn dsn;
        if (config.dsn().isPresent()) {
            dsn = config.dsn().get();
        } else {
            EmbeddedStore embedded;
            try {
                embedded = EmbeddedStore.start(config.home(), config.embeddedPgPort());
            } catch (HomeInUseException ex) {
                throw new StartupException(StartupException.CONFIG, ex.getMessage(), ex);
            } catch (UncheckedIOException | IllegalStateException ex) {
                throw new StartupException(StartupException.FAILURE, ex.getMessage(), ex);
            }
            lifecycle.onStop("embedded PostgreSQL", 30_000, embedded::close);
            dsn = embedded.dsn();
        }
        Store store;
        try {
            store = Store.open(dsn, POOL_SIZE, CONNECT_TIMEOUT_MILLIS);
        } catch (StoreException ex) {
            if (config.embedded()) {
                throw new StartupException(StartupException.FAILURE, ex.getMessage(), ex);
            }
            throw new StartupException(StartupException.CONFIG, "invalid DBB_DSN: " + ex.getMessage(), ex);
        }
        lifecycle.onStop("store pool", 10_000, store::close);
        LOG.info("store: {}", config.embedded() ? "embedded PostgreSQL " + dsn.host() + ":" + dsn.port() : dsn);
        return new Opened(store, dsn);
    }
}
