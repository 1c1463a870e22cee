package dev.dbbat.server.config;

import dev.dbbat.store.PostgresDsn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole validated configuration of a DBBat server (behaviour.md §2). Built by {@link ConfigLoader}; immutable.
 * {@link #toString()} redacts every secret (the DSN password, the key, the Slack client secret).
 *
 * @param dsn the store DSN; empty = the embedded PostgreSQL under {@link #home()}
 * @param listenPg PostgreSQL proxy listener ({@code DBB_LISTEN_PG})
 * @param listenOracle Oracle proxy listener ({@code DBB_LISTEN_ORA})
 * @param listenMysql MySQL/MariaDB proxy listener ({@code DBB_LISTEN_MYSQL})
 * @param listenApi REST API and web UI listener ({@code DBB_LISTEN_API})
 * @param key base64 text of the 32-byte master key ({@code DBB_KEY}), validated
 * @param keyFile a file holding the 32 raw key bytes ({@code DBB_KEYFILE}), validated
 * @param configFile the config file that was read, if any
 * @param runMode production, test or demo
 * @param demoTarget the only target allowed in demo mode
 * @param logLevel the root log level (TRACE, DEBUG, INFO, WARN, ERROR)
 * @param logFormat text or JSON lines
 * @param baseUrl the UI mount path, normalised ({@code /app})
 * @param redirects dev-only UI redirects ({@code DBB_REDIRECTS}), raw
 * @param queryStorage result capture limits
 * @param rateLimit API rate limiting
 * @param hash Argon2 presets (parsed for compatibility; see behaviour.md §2.2)
 * @param authCache the shared authentication cache
 * @param slackAuth Slack OAuth
 * @param dump session packet dumps
 * @param mysqlTls TLS termination on the MySQL listener
 * @param pgTls TLS termination on the PostgreSQL listener
 * @param pgUpstreamReuse whether the PostgreSQL proxy keeps upstream connections for later sessions
 *     ({@code DBB_PG_UPSTREAM_REUSE})
 * @param home DBBat's home directory ({@code DBB_HOME}, default {@code ~/.dbbat})
 * @param embeddedPgPort a fixed port for the embedded PostgreSQL, empty = a free port at each start
 * @param warnings non-fatal problems found while loading (logged once logging is up)
 */
public record ServerConfig(
        Optional<PostgresDsn> dsn,
        ListenAddress listenPg,
        ListenAddress listenOracle,
        ListenAddress listenMysql,
        ListenAddress listenApi,
        Optional<String> key,
        Optional<Path> keyFile,
        Optional<Path> configFile,
        RunMode runMode,
        DemoTarget demoTarget,
        String logLevel,
        LogFormat logFormat,
        String baseUrl,
        Optional<String> redirects,
        QueryStorage queryStorage,
        RateLimit rateLimit,
        Hash hash,
        AuthCache authCache,
        SlackAuth slackAuth,
        Dump dump,
        Tls mysqlTls,
        Tls pgTls,
        boolean pgUpstreamReuse,
        Path home,
        OptionalInt embeddedPgPort,
        List<String> warnings) {

    public ServerConfig {
        Objects.requireNonNull(dsn, "dsn");
        Objects.requireNonNull(listenPg, "listenPg");
        Objects.requireNonNull(listenOracle, "listenOracle");
        Objects.requireNonNull(listenMysql, "listenMysql");
        Objects.requireNonNull(listenApi, "listenApi");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(runMode, "runMode");
        Objects.requireNonNull(demoTarget, "demoTarget");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(redirects, "redirects");
        Objects.requireNonNull(queryStorage, "queryStorage");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(authCache, "authCache");
        Objects.requireNonNull(slackAuth, "slackAuth");
        Objects.requireNonNull(dump, "dump");
        Objects.requireNonNull(mysqlTls, "mysqlTls");
        Objects.requireNonNull(pgTls, "pgTls");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(embeddedPgPort, "embeddedPgPort");
        warnings = List.copyOf(warnings);
    }

    /** Whether the store is the embedded PostgreSQL (no DSN configured). */
    public boolean embedded() {
        return dsn.isEmpty();
    }

    /**
     * {@code DBB_QUERY_STORAGE_*}.
     *
     * @param storeResults whether result rows are captured at all
     * @param maxResultRows per-query row cap
     * @param maxResultBytes per-query byte cap
     */
    public record QueryStorage(boolean storeResults, long maxResultRows, long maxResultBytes) {}

    /**
     * {@code DBB_RATE_LIMIT_*}.
     *
     * @param enabled per-user API rate limit on/off
     * @param requestsPerMinute authenticated requests per minute
     * @param requestsPerMinuteAnon unauthenticated requests per minute
     * @param burst added to the per-minute limit
     */
    public record RateLimit(boolean enabled, int requestsPerMinute, int requestsPerMinuteAnon, int burst) {}

    /**
     * {@code DBB_HASH_*}: an Argon2id preset, resolved ({@code default} 64 MiB/t1/p4, {@code low} 16 MiB/t2/p2,
     * {@code minimal} 4 MiB/t3/p1; test mode defaults to minimal), with explicit overrides applied.
     */
    public record Hash(String preset, int memoryMb, int time, int threads) {}

    /**
     * {@code DBB_AUTH_CACHE_*}.
     *
     * @param enabled whether Argon2 outcomes and the proxies' login look-ups are cached at all
     * @param ttlSeconds how long an Argon2 outcome is trusted
     * @param maxSize entries at most
     * @param loginTtlMillis how long the proxies reuse what a login read from the store (users, SCRAM verifiers,
     *     targets and grants; {@code DBB_AUTH_CACHE_LOGIN_TTL_MS}, default 1000, 0 turns it off)
     */
    public record AuthCache(boolean enabled, int ttlSeconds, int maxSize, int loginTtlMillis) {}

    /**
     * {@code DBB_SLACK_AUTH_*}; enabled when both the client id and secret are set.
     *
     * @param clientId the OAuth client id
     * @param clientSecret the OAuth client secret (never printed)
     * @param teamId optional workspace restriction
     * @param autoCreateUsers create unknown users on first sign-in
     * @param defaultRole the role given to auto-created users
     */
    public record SlackAuth(
            Optional<String> clientId,
            Optional<String> clientSecret,
            Optional<String> teamId,
            boolean autoCreateUsers,
            String defaultRole) {

        public boolean enabled() {
            return clientId.isPresent() && clientSecret.isPresent();
        }

        @Override
        public String toString() {
            return "SlackAuth[clientId=" + clientId.orElse("") + ", clientSecret="
                    + (clientSecret.isPresent() ? "***" : "") + ", teamId=" + teamId.orElse("")
                    + ", autoCreateUsers=" + autoCreateUsers + ", defaultRole=" + defaultRole + "]";
        }
    }

    /**
     * {@code DBB_DUMP_*}.
     *
     * @param dir where dumps go, empty = dumps disabled
     * @param maxSize max bytes per dump file
     * @param retention dumps older than this are deleted
     */
    public record Dump(Optional<Path> dir, long maxSize, Duration retention) {}

    /**
     * TLS termination at a proxy listener: a PEM certificate and key pair, or (when neither is set) a generated
     * self-signed certificate; {@code disable} turns TLS off.
     */
    public record Tls(boolean disable, Optional<Path> certFile, Optional<Path> keyFile) {}

    /**
     * The demo-mode target, from {@code DBB_DEMO_TARGET_DB} ({@code user:pass@host/db}).
     */
    public record DemoTarget(String user, String password, String host, String database) {
        public DemoTarget {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(database, "database");
        }

        /** Parses {@code user:pass@host/db}. */
        public static DemoTarget parse(String text) {
            int at = text.lastIndexOf('@');
            int colon = at < 0 ? -1 : text.substring(0, at).indexOf(':');
            int slash = at < 0 ? -1 : text.indexOf('/', at);
            if (at < 0 || colon < 0 || slash < 0) {
                throw new IllegalArgumentException("expected user:pass@host/db");
            }
            DemoTarget result = new DemoTarget(text.substring(0, colon), text.substring(colon + 1, at),
                    text.substring(at + 1, slash), text.substring(slash + 1));
            if (result.user.isEmpty() || result.host.isEmpty() || result.database.isEmpty()) {
                throw new IllegalArgumentException("expected user:pass@host/db");
            }
            return result;
        }

        @Override
        public String toString() {
            return user + ":***@" + host + "/" + database;
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[dsn=" + dsn.map(PostgresDsn::toString).orElse("(embedded)")
                + ", listenPg=" + listenPg + ", listenOracle=" + listenOracle + ", listenMysql=" + listenMysql
                + ", listenApi=" + listenApi + ", key=" + (key.isPresent() ? "***" : "")
                + ", keyFile=" + keyFile.map(Path::toString).orElse("")
                + ", configFile=" + configFile.map(Path::toString).orElse("")
                + ", runMode=" + runMode + ", demoTarget=" + demoTarget + ", logLevel=" + logLevel
                + ", logFormat=" + logFormat + ", baseUrl=" + baseUrl + ", queryStorage=" + queryStorage
                + ", rateLimit=" + rateLimit + ", hash=" + hash + ", authCache=" + authCache
                + ", slackAuth=" + slackAuth + ", dump=" + dump + ", mysqlTls=" + mysqlTls + ", pgTls=" + pgTls
                + ", pgUpstreamReuse=" + pgUpstreamReuse
                + ", home=" + home + ", embeddedPgPort=" + embeddedPgPort + "]";
    }
}
