package dev.dbbat.server;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.Provisioning;
import dev.dbbat.core.spi.SessionInterceptor;
import dev.dbbat.core.spi.SessionInterceptors;
import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.server.policy.GrantPolicyInterceptor;
import dev.dbbat.server.policy.StoreGrantStatusSource;
import dev.dbbat.store.PostgresDsn;
import dev.dbbat.store.RecordingInterceptor;
import dev.dbbat.store.Store;
import dev.dbbat.store.crypto.MasterKey;
import dev.dbbat.store.writer.AsyncEventWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code dbbat serve}: store (embedded or {@code DBB_DSN}), migrations and run-mode provisioning, the REST
 * API and the proxy listeners. {@link #stop()} (the SIGTERM hook) stops everything in reverse order.
 */
final class Server {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** Live sessions' grants are re-read this often, so revocation and expiry end them within 5 seconds. */
    static final Duration GRANT_CHECK_INTERVAL = Duration.ofMillis(1500);

    private final ServerConfig config;
    private final Lifecycle lifecycle = new Lifecycle();
    private final CountDownLatch stopped = new CountDownLatch(1);

    Server(ServerConfig config) {
        this.config = config;
    }

    /** Starts everything; on failure the caller calls {@link #stop()}. */
    void start() {
        long started = System.nanoTime();
        StoreBootstrap.Opened opened = StoreBootstrap.open(config, lifecycle);
        Store store = opened.store();
        MasterKey masterKey = Keys.resolve(config);
        LOG.debug("master key from {}", masterKey.source());
        Security security = Security.create(config, store, masterKey, lifecycle);
        prepareStore(store, security);
        warnIfStoreIsATarget(store, opened.dsn());
        SessionInterceptor interceptor = startSessionPolicy(store);
        Optional<Integer> apiPort = ApiListener.start(config, store, opened.dsn(), security, lifecycle);
        ProxyServices proxies = ProxyServices.create(store, security, masterKey, config.authCache(), lifecycle);
        Optional<InetSocketAddress> pg = ProxyListeners.startPg(config, proxies.authenticator(), proxies.resolver(),
                interceptor, lifecycle);
        ProxyListeners.reportUnavailable(config);
        reportUnsupported();
        LOG.info("DBBat {} started in {} ms (API {}, PostgreSQL proxy {}, run mode {})", Version.current().version(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                apiPort.map(port -> config.listenApi().bindHost() + ":" + port).orElse("disabled"),
                pg.map(address -> address.getHostString() + ":" + address.getPort()).orElse("disabled"),
                config.runMode().text().isEmpty() ? "production" : config.runMode().text());
    }

    /** Settings this build parses but does not act on yet: say so once rather than ignore them silently. */
    private void reportUnsupported() {
        config.redirects().ifPresent(value -> LOG.warn("DBB_REDIRECTS (dev UI redirects) is not supported by this "
                + "build: ignored"));
        config.dump().dir().ifPresent(dir -> LOG.warn("session packet dumps (DBB_DUMP_DIR={}) are not supported by "
                + "this build yet: nothing is written", dir));
    }

    /**
     * Production: migrate, then create admin/admin if there is no user. Test and demo modes: drop every table,
     * migrate, and provision the sample data (behaviour.md §2.4).
     */
    private void prepareStore(Store store, Security security) {
        Provisioning provisioning = new Provisioning(store, security.hasher(), security.cipher());
        switch (config.runMode()) {
            case TEST -> {
                LOG.warn("run mode test: dropping every table of the store and provisioning sample data");
                provisioning.provisionTestMode(Provisioning.TestTarget.seedDefault());
            }
            case DEMO -> {
                LOG.warn("run mode demo: dropping every table of the store and provisioning sample data");
                ServerConfig.DemoTarget demo = config.demoTarget();
                provisioning.provisionDemoMode(new ApiConfig.DemoTarget(demo.user(), demo.password(), demo.host(),
                        demo.database()));
            }
            case PRODUCTION -> {
                store.migrate();
                provisioning.ensureDefaultAdmin();
            }
        }
    }

    /**
     * The interceptor chain every proxy uses: grant policy (quotas, revocation, expiry) first, so its refusals win,
     * then recording into the store through the asynchronous writer.
     */
    private SessionInterceptor startSessionPolicy(Store store) {
        AsyncEventWriter writer = AsyncEventWriter.start(store.jdbi());
        lifecycle.onStop("store writer (drain)", 35_000, () -> writer.close(Duration.ofSeconds(30)));
        RecordingInterceptor recording = new RecordingInterceptor(writer);
        lifecycle.onStop("session recording", 10_000, recording::close);
        GrantPolicyInterceptor policy = new GrantPolicyInterceptor(new StoreGrantStatusSource(store.jdbi()),
                GRANT_CHECK_INTERVAL, Clock.systemUTC());
        policy.start();
        lifecycle.onStop("grant watch", 10_000, policy::close);
        return SessionInterceptors.chain(List.of(policy, recording));
    }

    /** behaviour.md §1.5: a stored database that designates the store itself gets a SECURITY WARNING. */
    static void warnIfStoreIsATarget(Store store, PostgresDsn storeDsn) {
        for (String name : databasesDesignating(store, storeDsn)) {
            LOG.warn("SECURITY WARNING: database '{}' designates DBBat's own store ({}:{}/{}); users granted access "
                    + "to it can read and modify DBBat's users, keys and audit trail", name, storeDsn.host(),
                    storeDsn.port(), storeDsn.database());
        }
    }

    /** Names of the live databases whose (host, port, database) is the store itself. */
    static List<String> databasesDesignating(Store store, PostgresDsn storeDsn) {
        return store.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT name, host, port, database_name FROM databases WHERE deleted_at IS NULL ORDER BY name")
                .map((rs, ctx) -> storeDsn.designates(rs.getString("host"), rs.getInt("port"),
                                rs.getString("database_name")) ? rs.getString("name") : "")
                .list())
                .stream().filter(name -> !name.isEmpty()).toList();
    }

    /** Stops everything (idempotent) and releases {@link #awaitStop()}. */
    void stop() {
        try {
            LOG.info("shutting down");
            lifecycle.stopAll();
            LOG.info("stopped");
        } finally {
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
