package dev.dbbat.server;

import dev.dbbat.core.spi.ClientAuthenticator;
import dev.dbbat.core.spi.SessionInterceptor;
import dev.dbbat.core.spi.TargetResolver;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.PgProxyServer;
import dev.dbbat.server.config.ListenAddress;
import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.server.tls.ProxyTls;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the proxy listeners that are enabled and implemented, registering each with the {@link Lifecycle}. */
final class ProxyListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyListeners.class);

    private ProxyListeners() {}

    /**
     * Starts the PostgreSQL proxy when {@code DBB_LISTEN_PG} is set.
     *
     * @return the bound address, or empty when disabled
     */
    static Optional<InetSocketAddress> startPg(ServerConfig config, ClientAuthenticator authenticator,
            TargetResolver resolver, SessionInterceptor interceptor, Lifecycle lifecycle) {
        ListenAddress address = config.listenPg();
        if (!address.enabled()) {
            LOG.info("PostgreSQL proxy disabled (DBB_LISTEN_PG is empty)");
            return Optional.empty();
        }
        Optional<SslContext> tls = ProxyTls.serverContext(config.pgTls(), "DBB_PG_TLS", config.home(),
                "dbbat-pg-proxy");
        if (tls.isEmpty()) {
            LOG.warn("PostgreSQL proxy without TLS (DBB_PG_TLS_DISABLE=true): clients authenticate with "
                    + "SCRAM-SHA-256 only");
        }
        ServerConfig.QueryStorage storage = config.queryStorage();
        PgProxyConfig pgConfig = PgProxyConfig.defaults()
                .withClientTls(tls.orElse(null), false)
                .withCapture(storage.storeResults(), (int) Math.min(Integer.MAX_VALUE, storage.maxResultRows()),
                        storage.maxResultBytes())
                .withVersion(Version.current().version())
                .withUpstreamReuse(PgProxyConfig.UpstreamReuse.defaults().withEnabled(config.pgUpstreamReuse()));
        PgProxyServer server = PgProxyServer.builder()
                .config(pgConfig)
                .authenticator(authenticator)
                .resolver(resolver)
                .interceptor(interceptor)
                .bind(address.socketAddress().orElseThrow())
                .build();
        InetSocketAddress bound;
        try {
            bound = server.start();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StartupException(StartupException.FAILURE, "interrupted while binding " + address, ex);
        } catch (Exception ex) { // Netty rethrows the checked BindException undeclared
            closeQuietly(server);
            throw new StartupException(StartupException.CONFIG, "invalid DBB_LISTEN_PG '" + address
                    + "': cannot listen: " + rootMessage(ex), ex);
        }
        lifecycle.onStop("PostgreSQL proxy", 15_000, server::close);
        return Optional.of(bound);
    }

    /** The Oracle and MySQL proxies are not part of this build yet: say so instead of silently ignoring them. */
    static void reportUnavailable(ServerConfig config) {
        if (config.listenOracle().enabled()) {
            LOG.info("Oracle proxy not available in this build: DBB_LISTEN_ORA={} ignored", config.listenOracle());
        }
        if (config.listenMysql().enabled()) {
            LOG.info("MySQL/MariaDB proxy not available in this build: DBB_LISTEN_MYSQL={} ignored",
                    config.listenMysql());
        }
    }

    private static void closeQuietly(PgProxyServer server) {
        try {
            server.close();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // already failing
        }
    }

    static String rootMessage(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
