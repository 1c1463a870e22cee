package dev.dbbat.server;

import dev.dbbat.core.spi.ClientAuthenticator;
import dev.dbbat.core.spi.TargetResolver;
import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.AuditRepository;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.LoginDataChanges;
import dev.dbbat.store.Store;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.LoginCache;
import dev.dbbat.store.auth.StoreAuditSink;
import dev.dbbat.store.auth.StoreClientAuthenticator;
import dev.dbbat.store.auth.StoreTargetResolver;
import dev.dbbat.store.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What every proxy listener shares: the store-backed authenticator and target resolver, and the bounded
 * {@code dbbat-proxy-lookup} executor their store look-ups run on (never an event loop).
 *
 * @param authenticator proxy client authentication
 * @param resolver (user, database name, protocol) to upstream and grant
 */
record ProxyServices(ClientAuthenticator authenticator, TargetResolver resolver) {
    static final int LOOKUP_THREADS = 4;
    static final int LOOKUP_QUEUE = 4096;

    static ProxyServices create(Store store, Security security, MasterKey masterKey, ServerConfig.AuthCache authCache,
            Lifecycle lifecycle) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor lookups = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(LOOKUP_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "dbbat-proxy-lookup-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        lookups.allowCoreThreadTimeOut(true);
        lifecycle.onStop("proxy look-up executor", 10_000, () -> {
            lookups.shutdown();
            if (!lookups.awaitTermination(5, TimeUnit.SECONDS)) {
                lookups.shutdownNow();
            }
        });
        byte[] fakeSaltSecret = fakeSaltSecret(masterKey);
        LoginCache cache = loginCache(authCache);
        if (cache.enabled()) {
            // every change made through this process's store (the API) empties it at once
            Runnable invalidate = cache::invalidateAll;
            LoginDataChanges.listen(store.jdbi(), invalidate);
            lifecycle.onStop("login cache", 1_000, () -> LoginDataChanges.unlisten(store.jdbi(), invalidate));
        }
        try {
            StoreClientAuthenticator authenticator = new StoreClientAuthenticator(security.credentials(),
                    new UserRepository(store.jdbi()), new ApiKeyRepository(store.jdbi()), security.loginBackoff(),
                    new StoreAuditSink(new AuditRepository(store.jdbi())), fakeSaltSecret, lookups, cache);
            StoreTargetResolver resolver = new StoreTargetResolver(new DatabaseRepository(store.jdbi()),
                    new GrantRepository(store.jdbi()), security.cipher(), lookups, cache, Clock.systemUTC());
            return new ProxyServices(authenticator, resolver);
        } finally {
            Arrays.fill(fakeSaltSecret, (byte) 0);
        }
    }

    /** The proxies' login cache: off when the auth cache is, or with a login TTL of 0. */
    static LoginCache loginCache(ServerConfig.AuthCache config) {
        if (!config.enabled() || config.loginTtlMillis() <= 0) {
            return LoginCache.disabled();
        }
        return new LoginCache(Duration.ofMillis(config.loginTtlMillis()), config.maxSize(), System::nanoTime);
    }

    /** HMAC-SHA256(master key, label): stable across restarts, useless for anything but fake SCRAM salts. */
    static byte[] fakeSaltSecret(MasterKey masterKey) {
        byte[] key = masterKey.bytes();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal("dbbat scram fake salt v1".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
