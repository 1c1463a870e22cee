package dev.dbbat.api;

import dev.dbbat.api.auth.Guard;
import dev.dbbat.api.auth.RequestAuthenticator;
import dev.dbbat.api.handler.ApiKeyHandler;
import dev.dbbat.api.handler.AuthHandler;
import dev.dbbat.api.handler.DatabaseHandler;
import dev.dbbat.api.handler.GrantHandler;
import dev.dbbat.api.handler.ObservabilityHandler;
import dev.dbbat.api.handler.SystemHandler;
import dev.dbbat.api.handler.UserHandler;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.AuditRepository;
import dev.dbbat.store.ConnectionRepository;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.QueryRepository;
import dev.dbbat.store.Store;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuditSink;
import dev.dbbat.store.auth.AuthCache;
import dev.dbbat.store.auth.Credentials;
import dev.dbbat.store.auth.LoginBackoff;
import dev.dbbat.store.auth.StoreAuditSink;
import dev.dbbat.store.crypto.CredentialCipher;
import dev.dbbat.store.hash.PasswordHasher;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.router.ParsedEndpoint;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API ({@code /api/v1}), its OpenAPI document ({@code /api/openapi.json}, {@code /api/docs}) and, when
 * configured, the web UI. Build with {@link #builder()}, then {@link #start(InetSocketAddress)} and {@link #close()}.
 *
 * <p>Owns a small background executor (API key usage updates) and a janitor (expired web sessions, idle backoff
 * entries), both daemon threads stopped by {@link #close()}. The store, hasher, cache and backoff are borrowed.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final long IDLE_TIMEOUT_MILLIS = 60_000;

    private final Javalin app;
    private final ThreadPoolExecutor background;
    private final ScheduledExecutorService janitor;
    private final ApiKeyRepository keys;
    private final LoginBackoff backoff;
    private final Clock clock;

    private ApiServer(Builder b) {
        this.clock = b.clock;
        this.backoff = b.loginBackoff;
        UserRepository users = new UserRepository(b.store.jdbi());
        this.keys = new ApiKeyRepository(b.store.jdbi());
        DatabaseRepository databases = new DatabaseRepository(b.store.jdbi());
        GrantRepository grants = new GrantRepository(b.store.jdbi());
        AuditRepository auditRepository = new AuditRepository(b.store.jdbi());
        AuditSink audit = new StoreAuditSink(auditRepository);
        Credentials credentials = new Credentials(users, keys, b.hasher, b.authCache, b.cipher, clock);
        this.background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024),
                runnable -> daemon(runnable, "dbbat-api-background"), new ThreadPoolExecutor.AbortPolicy());
        this.janitor = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "dbbat-api-janitor"));
        ApiConfig config = b.config;
        Guard guard = new Guard(new RequestAuthenticator(credentials, keys, backoff, background), config, clock);
        ApiRoutes.Services services = new ApiRoutes.Services(guard,
                new SystemHandler(b.store, config),
                new AuthHandler(credentials, users, keys, backoff, audit),
                new UserHandler(credentials, users, keys, audit, config),
                new DatabaseHandler(databases, grants, b.cipher, audit, config),
                new GrantHandler(grants, users, databases, audit),
                new ApiKeyHandler(credentials, keys, audit),
                new ObservabilityHandler(new ConnectionRepository(b.store.jdbi()), new QueryRepository(b.store.jdbi()),
                        auditRepository, QueryRepository.DEFAULT_PAGE_BYTES));
        ApiDocs docs = new ApiDocs();
        this.app = Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                http.setSendServerVersion(false);
            });
            ErrorMapping.install(cfg);
            ApiRoutes.configure(cfg, services);
            docs.configure(cfg);
            config.staticUi().ifPresent(hook -> {
                cfg.routes.get("/", ctx -> ctx.redirect(config.baseUrl() + "/"));
                hook.accept(cfg);
            });
        });
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Binds the listener and returns the bound port (useful with port 0). */
    public int start(InetSocketAddress address) {
        app.start(address.getHostString(), address.getPort());
        janitor.scheduleWithFixedDelay(this::purge, 0, 10, TimeUnit.MINUTES);
        LOG.info("API listening on {}:{}", address.getHostString(), app.port());
        return app.port();
    }

    /** The bound port, once started. */
    public int port() {
        return app.port();
    }

    /** {@code METHOD path} of every registered HTTP route, e.g. {@code GET /api/v1/users/{uid}}. */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map((ParsedEndpoint each) -> each.endpoint.method.name() + " " + each.endpoint.path)
                .toList();
    }

    private void purge() {
        try {
            int purged = keys.purgeExpiredWebSessions();
            if (purged > 0) {
                LOG.debug("purged {} expired web sessions", purged);
            }
            backoff.purgeIdle(clock.instant());
        } catch (RuntimeException ex) {
            LOG.warn("web session purge failed: {}", ex.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        app.stop();
        janitor.shutdownNow();
        background.shutdown();
        try {
            if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("API background executor did not stop within 5 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the API's collaborators; all but {@code clock} are required. */
    public static final class Builder {
        private Store store;
        private CredentialCipher cipher;
        private PasswordHasher hasher;
        private AuthCache authCache;
        private LoginBackoff loginBackoff;
        private ApiConfig config = ApiConfig.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder store(Store value) {
            this.store = value;
            return this;
        }

        public Builder cipher(CredentialCipher value) {
            this.cipher = value;
            return this;
        }

        public Builder hasher(PasswordHasher value) {
            this.hasher = value;
            return this;
        }

        /** The authentication cache shared with the proxies. */
        public Builder authCache(AuthCache value) {
            this.authCache = value;
            return this;
        }

        /** The login backoff shared with the proxies. */
        public Builder loginBackoff(LoginBackoff value) {
            this.loginBackoff = value;
            return this;
        }

        public Builder config(ApiConfig value) {
            this.config = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public ApiServer build() {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(cipher, "cipher");
            Objects.requireNonNull(hasher, "hasher");
            Objects.requireNonNull(authCache, "authCache");
            Objects.requireNonNull(loginBackoff, "loginBackoff");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(clock, "clock");
            return new ApiServer(this);
        }
    }
}
