package dev.dbbat.server;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.ApiServer;
import dev.dbbat.server.config.ListenAddress;
import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.store.PostgresDsn;
import dev.dbbat.store.Store;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds and starts the REST API listener ({@code DBB_LISTEN_API}). */
final class ApiListener {
    private static final Logger LOG = LoggerFactory.getLogger(ApiListener.class);

    private ApiListener() {}

    static ApiConfig apiConfig(ServerConfig config, PostgresDsn storeDsn) {
        Version version = Version.current();
        ServerConfig.RateLimit limits = config.rateLimit();
        ApiConfig result = new ApiConfig(config.runMode().text(), limits.enabled(), limits.requestsPerMinute(),
                limits.burst(), limits.requestsPerMinuteAnon(), config.baseUrl(),
                new ApiConfig.VersionInfo(version.version(), version.commit(), version.buildTime()),
                Optional.of(storeDsn), Optional.empty(), Optional.empty());
        if (config.runMode() == dev.dbbat.server.config.RunMode.DEMO) {
            ServerConfig.DemoTarget demo = config.demoTarget();
            result = result.withDemoTarget(new ApiConfig.DemoTarget(demo.user(), demo.password(), demo.host(),
                    demo.database()));
        }
        Optional<java.util.function.Consumer<io.javalin.config.JavalinConfig>> ui = WebUi.hook(config.baseUrl());
        if (ui.isPresent()) {
            result = result.withStaticUi(ui.get());
        }
        return result;
    }

    /** @return the bound port, or empty when the listener is disabled */
    static Optional<Integer> start(ServerConfig config, Store store, PostgresDsn storeDsn, Security security,
            Lifecycle lifecycle) {
        ListenAddress address = config.listenApi();
        if (!address.enabled()) {
            LOG.warn("REST API disabled (DBB_LISTEN_API is empty)");
            return Optional.empty();
        }
        ApiServer api = ApiServer.builder()
                .store(store)
                .cipher(security.cipher())
                .hasher(security.hasher())
                .authCache(security.authCache())
                .loginBackoff(security.loginBackoff())
                .config(apiConfig(config, storeDsn))
                .build();
        int port;
        try {
            InetSocketAddress socket = address.socketAddress().orElseThrow();
            port = api.start(new InetSocketAddress(address.bindHost(), socket.getPort()));
        } catch (Exception ex) { // Jetty may rethrow a checked BindException undeclared
            closeQuietly(api);
            throw new StartupException(StartupException.CONFIG, "invalid DBB_LISTEN_API '" + address
                    + "': cannot listen: " + ProxyListeners.rootMessage(ex), ex);
        }
        lifecycle.onStop("REST API", 15_000, api::close);
        return Optional.of(port);
    }

    private static void closeQuietly(ApiServer api) {
        try {
            api.close();
        } catch (RuntimeException ignored) {
            // already failing
        }
    }
}
