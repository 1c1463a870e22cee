package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.spi.SessionInterceptors;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.PgProxyServer;
import dev.dbbat.store.ApiKeyRepository;
import dev.dbbat.store.AuditRepository;
import dev.dbbat.store.Database;
import dev.dbbat.store.DatabaseRepository;
import dev.dbbat.store.GrantRepository;
import dev.dbbat.store.NewGrant;
import dev.dbbat.store.RecordingInterceptor;
import dev.dbbat.store.User;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuthCache;
import dev.dbbat.store.auth.Credentials;
import dev.dbbat.store.auth.LoginBackoff;
import dev.dbbat.store.auth.StoreAuditSink;
import dev.dbbat.store.auth.StoreClientAuthenticator;
import dev.dbbat.store.auth.StoreTargetResolver;
import dev.dbbat.store.crypto.CredentialCipher;
import dev.dbbat.store.crypto.MasterKey;
import dev.dbbat.store.hash.HashParameters;
import dev.dbbat.store.hash.PasswordHasher;
import dev.dbbat.store.testing.StoreFixture;
import dev.dbbat.store.writer.AsyncEventWriter;
import dev.dbbat.store.writer.WriterConfig;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Result capture against a slow store, end to end: pgjdbc through the real PostgreSQL proxy, recorded by the real
 * {@link RecordingInterceptor} and {@link AsyncEventWriter} into a real store, with the store held back by a table
 * lock. The proxy must pause reading the server (rows) or the client (statements) instead of dropping captured rows
 * or queueing without bound, and once the store moves every row within the capture caps must be stored, the
 * statement not marked truncated, and the client must have received everything.
 */
class CaptureBackpressureIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();
    private static final String PASSWORD = "capture-password-1";

    private static Jdbi jdbi;
    private static ExecutorService executor;
    private static PasswordHasher hasher;
    private static StoreClientAuthenticator authenticator;
    private static StoreTargetResolver resolver;

    @BeforeAll
    static void setUp() {
        jdbi = STORE.store().jdbi();
        executor = Executors.newFixedThreadPool(2);
        hasher = new PasswordHasher(HashParameters.MINIMAL, 2, 64);
        CredentialCipher cipher = new CredentialCipher(MasterKey.of(new byte[32]));
        UserRepository users = new UserRepository(jdbi);
        ApiKeyRepository keys = new ApiKeyRepository(jdbi);
        Credentials credentials = new Credentials(users, keys, hasher,
                new AuthCache(true, Duration.ofMinutes(5), 100, Clock.systemUTC()), cipher, Clock.systemUTC());
        authenticator = new StoreClientAuthenticator(credentials, users, keys, new LoginBackoff(false,
                Clock.systemUTC()), new StoreAuditSink(new AuditRepository(jdbi)), "fake-salt".getBytes(), executor);
        resolver = new StoreTargetResolver(new DatabaseRepository(jdbi), new GrantRepository(jdbi), cipher, executor);
        User alice = credentials.createUser("alice", PASSWORD.toCharArray(), List.of("connector"), true);
        // the target is the store's own server (trust authentication), database "postgres"
        UUID uid = UUID.randomUUID();
        Database target = new DatabaseRepository(jdbi).insert(new Database(uid, "target", "", "127.0.0.1",
                StoreFixture.postgres().getPort(), "postgres", "postgres",
                cipher.encrypt("unused-trust", CredentialCipher.databaseAad(uid)), null, null, "disable",
                "postgresql", null, alice.uid(), null, null));
        new GrantRepository(jdbi).insert(new NewGrant(alice.uid(), target.uid(), List.of(), alice.uid(),
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), null, null));
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
        hasher.close();
    }

    /** A proxy capturing results (100,000 rows / 100 MiB per statement) into a writer with {@code config}. */
    private record Proxy(PgProxyServer server, InetSocketAddress address, AsyncEventWriter writer,
            RecordingInterceptor recording) implements AutoCloseable {

        static Proxy start(WriterConfig config) throws Exception {
            AsyncEventWriter writer = AsyncEventWriter.start(jdbi, config);
            RecordingInterceptor recording = new RecordingInterceptor(writer, Duration.ZERO);
            PgProxyServer server = PgProxyServer.builder()
                    .config(PgProxyConfig.defaults().withVersion("test").withCapture(true, 100_000, 100L << 20))
                    .authenticator(authenticator)
                    .resolver(resolver)
                    .interceptor(SessionInterceptors.chain(List.of(recording)))
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .build();
            return new Proxy(server, server.start(), writer, recording);
        }

        Connection connect() throws Exception {
            Properties properties = new Properties();
            properties.setProperty("user", "alice");
            properties.setProperty("password", PASSWORD);
            properties.setProperty("sslmode", "disable");
            properties.setProperty("assumeMinServerVersion", "16");
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + address.getPort() + "/target",
                    properties);
        }

        @Override
        public void close() throws Exception {
            server.close();
            recording.close();
            writer.close();
        }
    }

    private static Handle lock(String table) {
        Handle handle = jdbi.open();
        handle.begin();
        handle.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        return handle;
    }

    private static void release(Handle lock) {
        lock.rollback();
        lock.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until {@code value} stops moving for {@code quietMillis} and returns it. */
    private static long settled(AtomicLong value, long quietMillis) throws InterruptedException {
        long last = value.get();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(quietMillis);
            long now = value.get();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("still moving: " + last);
    }

    private static long count(String sql, Object... arguments) {
        return jdbi.withHandle(handle -> {
            var query = handle.createQuery(sql);
            for (int i = 0; i < arguments.length; i++) {
                query.bind(i, arguments[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }

    @Test
    void pausesTheServerInsteadOfDroppingRowsWhenTheStoreIsSlow() throws Exception {
        int rows = 20_000; // ~20 MB on the wire, ~45 MB of queued rows by the writer's estimate
        long high = 1L << 20;
        WriterConfig config = WriterConfig.defaults().withRowWaterMarks(high, high / 2)
                .withRowCapacity(50_000, 4L << 20);
        AtomicLong received = new AtomicLong();
        String sql = "SELECT g, repeat('x', 1000) AS filler FROM generate_series(1, " + rows + ") AS g";
        try (Proxy proxy = Proxy.start(config); Connection connection = proxy.connect();
                Statement statement = connection.createStatement()) {
            Handle lock = lock("query_rows");
            CompletableFuture<Void> client;
            try {
                client = CompletableFuture.runAsync(() -> {
                    try (ResultSet result = statement.executeQuery(sql)) {
                        while (result.next()) {
                            if (result.getLong(1) != received.get() + 1 || result.getString(2).length() != 1000) {
                                throw new AssertionError("row " + result.getLong(1) + " after " + received.get());
                            }
                            received.incrementAndGet();
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                });
                await(() -> proxy.writer().rowBytesWaiting() >= high, "rows above the high-water mark");
                long stalled = settled(received, 500);
                // the store is blocked: the proxy stopped reading the server, nothing was dropped, the queue is
                // bounded near its high-water mark, and the client is waiting for the rest
                assertThat(client).isNotDone();
                assertThat(stalled).isLessThan(rows);
                assertThat(proxy.writer().droppedRows()).isZero();
                assertThat(proxy.writer().rowBytesWaiting()).isLessThan(4L << 20);
            } finally {
                release(lock);
            }
            client.get(120, TimeUnit.SECONDS);
            assertThat(received.get()).isEqualTo(rows);
            await(() -> count("SELECT count(*) FROM queries WHERE sql_text = ? AND duration_ms IS NOT NULL",
                    sql) == 1 && proxy.writer().queueDepth() == 0, "the statement recorded");
            assertThat(proxy.writer().droppedRows()).isZero();
            assertThat(proxy.writer().maxRowBytesWaiting()).isLessThan(4L << 20);
        }
        assertThat(count("SELECT count(*) FROM query_rows r JOIN queries q ON q.uid = r.query_id"
                + " WHERE q.sql_text = ?", sql)).isEqualTo(rows);
        assertThat(count("SELECT count(*) FROM queries WHERE sql_text = ? AND NOT results_truncated", sql))
                .isEqualTo(1);
        assertThat(count("SELECT count(DISTINCT r.row_number) FROM query_rows r JOIN queries q ON q.uid = r.query_id"
                + " WHERE q.sql_text = ? AND (r.row_data->>'g')::int = r.row_number"
                + " AND length(r.row_data->>'filler') = 1000", sql)).isEqualTo(rows);
    }

    @Test
    void pausesTheClientWhileTheStatementQueueIsOverItsHighWaterMark() throws Exception {
        int statements = 100;
        // no linger: the writer takes the first statements into a batch at once and blocks on the lock with it,
        // so the client stalls at the high-water mark (two statement events per captured statement: 13 statements).
        // With the 250 ms linger the batch was taken, and back-pressure lifted, whenever the linger ran out: one or
        // two more queue-fulls of statements first, depending on the client's pace (24-26 here, 36 once in CI).
        WriterConfig config = WriterConfig.defaults().withStatementWaterMarks(20, 5).withLinger(Duration.ZERO);
        AtomicLong done = new AtomicLong();
        try (Proxy proxy = Proxy.start(config); Connection connection = proxy.connect();
                Statement statement = connection.createStatement()) {
            Handle lock = lock("queries");
            CompletableFuture<Void> client;
            try {
                client = CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 1; i <= statements; i++) {
                            try (ResultSet result = statement.executeQuery("SELECT " + i + " AS paced_statement")) {
                                result.next();
                                if (result.getInt(1) != i) {
                                    throw new AssertionError("statement " + i);
                                }
                            }
                            done.incrementAndGet();
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                });
                await(() -> proxy.writer().isBackpressured(), "statement back-pressure");
                long stalled = settled(done, 500);
                assertThat(client).isNotDone();
                assertThat(stalled).isLessThan(30);
            } finally {
                release(lock);
            }
            client.get(60, TimeUnit.SECONDS);
            assertThat(done.get()).isEqualTo(statements);
            await(() -> count("SELECT count(*) FROM queries WHERE sql_text LIKE '%paced_statement'")
                    == statements, "every statement recorded");
        }
    }
}
