package dev.dbbat.server;

import dev.dbbat.server.config.RunMode;
import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.store.Store;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuthCache;
import dev.dbbat.store.auth.Credentials;
import dev.dbbat.store.auth.LoginBackoff;
import dev.dbbat.store.crypto.CredentialCipher;
import dev.dbbat.store.crypto.MasterKey;
import dev.dbbat.store.hash.HashParameters;
import dev.dbbat.store.hash.PasswordHasher;
import java.time.Clock;
import java.time.Duration;

/**
 * The security services the API and the proxies share: one Argon2id hasher (its {@code dbbat-auth} executor), one
 * authentication cache, one login backoff, and the credential cipher.
 *
 * @param hasher Argon2id on its bounded executor
 * @param authCache the shared authentication cache
 * @param loginBackoff per-user-name failure backoff (not enforced in test mode)
 * @param cipher AES-256-GCM for stored upstream credentials
 * @param credentials password and token checks over the store
 */
record Security(PasswordHasher hasher, AuthCache authCache, LoginBackoff loginBackoff, CredentialCipher cipher,
        Credentials credentials) {

    static Security create(ServerConfig config, Store store, MasterKey masterKey, Lifecycle lifecycle) {
        Clock clock = Clock.systemUTC();
        ServerConfig.Hash hash = config.hash();
        PasswordHasher hasher = new PasswordHasher(new HashParameters(hash.memoryMb() * 1024, hash.time(),
                hash.threads()));
        lifecycle.onStop("password hasher", 10_000, hasher::close);
        ServerConfig.AuthCache cache = config.authCache();
        AuthCache authCache = new AuthCache(cache.enabled(), Duration.ofSeconds(cache.ttlSeconds()), cache.maxSize(),
                clock);
        LoginBackoff backoff = new LoginBackoff(config.runMode() != RunMode.TEST, clock);
        Credentials credentials = new Credentials(new UserRepository(store.jdbi()),
                new ApiKeyRepository(store.jdbi()), hasher, authCache, clock);
        return new Security(hasher, authCache, backoff, new CredentialCipher(masterKey), credentials);
    }
}
