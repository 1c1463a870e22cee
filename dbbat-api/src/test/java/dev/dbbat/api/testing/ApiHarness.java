package dev.dbbat.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.ApiServer;
import dev.dbbat.api.Provisioning;
import dev.dbbat.store.PostgresDsn;
import dev.dbbat.store.Store;
import dev.dbbat.store.auth.AuthCache;
import dev.dbbat.store.auth.LoginBackoff;
import dev.dbbat.store.crypto.CredentialCipher;
import dev.dbbat.store.crypto.MasterKey;
import dev.dbbat.store.hash.HashParameters;
import dev.dbbat.store.hash.PasswordHasher;
import dev.dbbat.store.testing.StoreFixture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: a fresh store database, provisioned in test run mode (unless told otherwise), and a real
 * {@link ApiServer} on 127.0.0.1:0. Records every secret the test uses, and after the class asserts that none of
 * them appears in a captured log line or in {@code audit_log.details}.
 */
public final class ApiHarness implements BeforeAllCallback, AfterAllCallback {
    public static final String ADMIN = Http.basic("admin", "admintest");
    public static final String VIEWER = Http.basic("viewer", "viewer");
    public static final String CONNECTOR = Http.basic("connector", "connector");
    public static final String ADMIN_KEY = Http.bearer("dbb_admin_key");
    public static final String VIEWER_KEY = Http.bearer("dbb_viewer_key");
    public static final String CONNECTOR_KEY = Http.bearer("dbb_connector_key");

    public static final ApiConfig.DemoTarget DEMO_TARGET =
            ApiConfig.DemoTarget.parse("demo:demo-secret-pw@demo-host/demo");

    private final String runMode;
    private final UnaryOperator<ApiConfig> customise;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final StoreFixture fixture = new StoreFixture();
    private PasswordHasher hasher;
    private ApiServer server;
    private Http http;
    private CredentialCipher cipher;

    public ApiHarness() {
        this("test", UnaryOperator.identity());
    }

    public ApiHarness(String runMode, UnaryOperator<ApiConfig> customise) {
        this.runMode = runMode;
        this.customise = customise;
        secrets.addAll(List.of("demo-secret-pw", "admintest", "dbb_admin_key", "dbb_viewer_key", "dbb_connector_key"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LogCapture.install();
        fixture.beforeAll(context);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = new CredentialCipher(MasterKey.of(key));
        hasher = new PasswordHasher(HashParameters.MINIMAL, 2, 256);
        Provisioning provisioning = new Provisioning(fixture.store(), hasher, cipher);
        if ("test".equals(runMode)) {
            provisioning.provisionTestMode(Provisioning.TestTarget.seedDefault());
        } else if ("demo".equals(runMode)) {
            provisioning.provisionDemoMode(DEMO_TARGET);
        } else {
            provisioning.ensureDefaultAdmin();
        }
        ApiConfig config = customise.apply(ApiConfig.defaults().withRunMode(runMode).withDemoTarget(DEMO_TARGET)
                .withRateLimits(true, 100_000, 0, 100_000)
                .withStorageDsn(fixture.dsn()));
        server = ApiServer.builder()
                .store(fixture.store())
                .cipher(cipher)
                .hasher(hasher)
                .authCache(new AuthCache(true, Duration.ofMinutes(5), 1000, Clock.systemUTC()))
                .loginBackoff(new LoginBackoff(!"test".equals(runMode), Clock.systemUTC()))
                .config(config)
                .build();
        int port = server.start(new InetSocketAddress("127.0.0.1", 0));
        http = new Http(port);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            assertNoSecretLeaked();
        } finally {
            server.close();
            hasher.close();
            fixture.afterAll(context);
        }
    }

    /** Remembers a secret (password, key, token) that must never appear in logs or audit rows. */
    public String secret(String value) {
        secrets.add(value);
        return value;
    }

    public void assertNoSecretLeaked() {
        List<String> details = store().jdbi().withHandle(handle -> handle
                .createQuery("SELECT COALESCE(details::text, '') FROM audit_log").mapTo(String.class).list());
        List<String> logs = LogCapture.lines();
        for (String secret : secrets) {
            assertThat(details).as("audit details").noneMatch(line -> line.contains(secret));
            assertThat(logs).as("log lines").noneMatch(line -> line.contains(secret));
        }
    }

    public Http http() {
        return http;
    }

    public ApiServer server() {
        return server;
    }

    public Store store() {
        return fixture.store();
    }

    public PostgresDsn dsn() {
        return fixture.dsn();
    }

    public CredentialCipher cipher() {
        return cipher;
    }

    public Map<String, Object> one(String sql) {
        return store().jdbi().withHandle(handle -> handle.createQuery(sql).mapToMap().one());
    }
}
