package dev.dbbat.api;

import dev.dbbat.store.PostgresDsn;
import io.javalin.config.JavalinConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Settings of the REST API.
 *
 * @param runMode {@code ""} (production), {@code test} or {@code demo}
 * @param rateLimitEnabled whether the per-user limit applies
 * @param requestsPerMinute per-user limit ({@code X-RateLimit-Limit}); {@code burst} more are tolerated
 * @param burst extra requests per minute on top of {@code requestsPerMinute}
 * @param anonymousRequestsPerMinute per-IP limit on unauthenticated auth routes (plus {@code burst})
 * @param baseUrl where the UI is mounted, e.g. {@code /app}
 * @param version build version, commit and time shown by {@code GET /version}
 * @param storageDsn the store's own DSN: a target designating it is refused (TARGET_MATCHES_SELF)
 * @param demoTarget in demo mode, the only target allowed ({@code user:pass@host/db})
 * @param staticUi optional hook to mount the web UI (called inside {@code Javalin.create})
 * @param slackAuth Slack sign-in (OAuth 2 / OpenID Connect), when configured
 * @param httpTimeouts the HTTP listener's read, write and idle timeouts
 */
public record ApiConfig(
        String runMode,
        boolean rateLimitEnabled,
        int requestsPerMinute,
        int burst,
        int anonymousRequestsPerMinute,
        String baseUrl,
        VersionInfo version,
        Optional<PostgresDsn> storageDsn,
        Optional<DemoTarget> demoTarget,
        Optional<Consumer<JavalinConfig>> staticUi,
        Optional<SlackAuth> slackAuth,
        HttpTimeouts httpTimeouts) {

    /** Build information. */
    public record VersionInfo(String buildVersion, String buildCommit, String buildTime) {
        public static VersionInfo dev() {
            return new VersionInfo("dev", "unknown", "unknown");
        }
    }

    /** The demo-mode target, parsed from {@code user:pass@host/db}. {@link #toString()} hides the password. */
    public record DemoTarget(String username, String password, String host, String database) {
        public static DemoTarget parse(String spec) {
            int at = spec.lastIndexOf('@');
            int colon = spec.indexOf(':');
            int slash = spec.indexOf('/', Math.max(at, 0));
            if (at < 0 || colon < 0 || colon > at || slash < 0) {
                throw new IllegalArgumentException("demo target must look like user:pass@host/db");
            }
            return new DemoTarget(spec.substring(0, colon), spec.substring(colon + 1, at), spec.substring(at + 1, slash),
                    spec.substring(slash + 1));
        }

        @Override
        public String toString() {
            return username + ":***@" + host + "/" + database;
        }
    }

    public ApiConfig {
        Objects.requireNonNull(runMode, "runMode");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(storageDsn, "storageDsn");
        Objects.requireNonNull(demoTarget, "demoTarget");
        Objects.requireNonNull(staticUi, "staticUi");
        Objects.requireNonNull(slackAuth, "slackAuth");
        Objects.requireNonNull(httpTimeouts, "httpTimeouts");
    }

    /** Seed defaults: production mode, 60 rpm + 10 burst, 10 anonymous rpm, UI at {@code /app}. */
    public static ApiConfig defaults() {
        return new ApiConfig("", true, 60, 10, 10, "/app", VersionInfo.dev(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), HttpTimeouts.defaults());
    }

    public boolean testMode() {
        return "test".equals(runMode);
    }

    public boolean demoMode() {
        return "demo".equals(runMode);
    }

    public ApiConfig withRunMode(String mode) {
        return new ApiConfig(mode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                version, storageDsn, demoTarget, staticUi, slackAuth, httpTimeouts);
    }

    public ApiConfig withRateLimits(boolean enabled, int rpm, int burstSize, int anonymousRpm) {
        return new ApiConfig(runMode, enabled, rpm, burstSize, anonymousRpm, baseUrl, version, storageDsn, demoTarget,
                staticUi, slackAuth, httpTimeouts);
    }

    public ApiConfig withStorageDsn(PostgresDsn dsn) {
        return new ApiConfig(runMode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                version, Optional.of(dsn), demoTarget, staticUi, slackAuth, httpTimeouts);
    }

    public ApiConfig withDemoTarget(DemoTarget target) {
        return new ApiConfig(runMode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                version, storageDsn, Optional.of(target), staticUi, slackAuth, httpTimeouts);
    }

    public ApiConfig withVersion(VersionInfo info) {
        return new ApiConfig(runMode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                info, storageDsn, demoTarget, staticUi, slackAuth, httpTimeouts);
    }

    public ApiConfig withStaticUi(Consumer<JavalinConfig> hook) {
        return new ApiConfig(runMode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                version, storageDsn, demoTarget, Optional.of(hook), slackAuth, httpTimeouts);
    }

    /** Enables Slack sign-in with these settings. */
    public ApiConfig withSlackAuth(SlackAuth slack) {
        return new ApiConfig(runMode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                version, storageDsn, demoTarget, staticUi, Optional.of(slack), httpTimeouts);
    }

    /** Slack sign-in when {@code slack} is present, disabled otherwise (e.g. the result of {@link SlackAuth#fromEnv}). */
    public ApiConfig withSlackAuth(Optional<SlackAuth> slack) {
        return new ApiConfig(runMode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                version, storageDsn, demoTarget, staticUi, slack, httpTimeouts);
    }

    public ApiConfig withHttpTimeouts(HttpTimeouts timeouts) {
        return new ApiConfig(runMode, rateLimitEnabled, requestsPerMinute, burst, anonymousRequestsPerMinute, baseUrl,
                version, storageDsn, demoTarget, staticUi, slackAuth, timeouts);
    }
}
