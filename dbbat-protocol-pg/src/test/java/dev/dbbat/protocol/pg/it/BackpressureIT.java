package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.protocol.pg.PgProxyConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control: while an interceptor's {@code rowBackpressure} stage is pending the proxy reads nothing more from the
 * upstream (no row is captured, the client stalls once the socket buffers are drained), and while a
 * {@code statementBackpressure} stage is pending it reads no statement from the client; both resume when the stage
 * completes on another thread, and nothing is lost.
 */
class BackpressureIT {
    private static final int ROWS = 20_000;
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17(), PgProxyConfig.defaults().withVersion("test")
                .withCapture(true, 1_000_000, 1L << 30));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        proxy.interceptor.assertEachSessionClosedOnce();
    }

    @BeforeEach
    void reset() {
        proxy.interceptor.reset();
        proxy.interceptor.keepRows = false;
    }

    /** Waits until {@code value} has not moved for {@code quietMillis}, and returns it. */
    private static long settled(AtomicLong value, long quietMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = value.get();
        while (true) {
            Thread.sleep(quietMillis);
            long now = value.get();
            if (now == last) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still moving after 10 s: " + now);
            }
            last = now;
        }
    }

    @Test
    void rowBackpressureStopsReadingTheUpstreamUntilTheStageCompletes() throws Exception {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        proxy.interceptor.rowBackpressure = session -> {
            asked.incrementAndGet();
            return proxy.interceptor.rowCount.get() >= 2_000 ? drained : null;
        };
        AtomicLong received = new AtomicLong();
        try (Connection connection = proxy.connect("main", ""); Statement statement = connection.createStatement()) {
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT g, repeat('x', 1000) FROM generate_series(1, " + ROWS + ") AS g")) {
                    while (rows.next()) {
                        assertThat(rows.getLong(1)).isEqualTo(received.get() + 1);
                        received.incrementAndGet();
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });

            ProxyBasicsIT.waitFor(() -> proxy.interceptor.rowCount.get() >= 2_000);
            long captured = settled(proxy.interceptor.rowCount, 500);
            long delivered = settled(received, 300);
            // the proxy stopped reading: nothing more is captured, and the client (20 MB) is starved of rows
            assertThat(captured).isBetween(2_000L, (long) ROWS / 2);
            assertThat(delivered).isLessThanOrEqualTo(captured);
            assertThat(client).isNotDone();
            assertThat(asked.get()).isPositive();

            CompletableFuture.runAsync(() -> drained.complete(null)); // another thread, as a store writer would
            client.get(30, TimeUnit.SECONDS);
        }
        assertThat(received.get()).isEqualTo(ROWS);
        assertThat(proxy.interceptor.rowCount.get()).isEqualTo(ROWS);
        var outcome = proxy.interceptor.completedFor("generate_series").outcome();
        assertThat(outcome.rowsCaptured()).isEqualTo(ROWS);
        assertThat(outcome.resultsTruncated()).isFalse();
        assertThat(outcome.error()).isEmpty();
    }

    @Test
    void statementBackpressureStopsReadingTheClientUntilTheStageCompletes() throws Exception {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        AtomicLong done = new AtomicLong();
        try (Connection connection = proxy.connect("main", ""); Statement statement = connection.createStatement()) {
            int before = proxy.interceptor.queries.size();
            proxy.interceptor.statementBackpressure = session ->
                    proxy.interceptor.queries.size() - before >= 5 ? drained : null;
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= 20; i++) {
                        try (ResultSet rows = statement.executeQuery("SELECT " + i)) {
                            assertThat(rows.next()).isTrue();
                            assertThat(rows.getInt(1)).isEqualTo(i);
                        }
                        done.incrementAndGet();
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });

            ProxyBasicsIT.waitFor(() -> done.get() >= 5);
            assertThat(settled(done, 500)).isEqualTo(5);
            assertThat(proxy.interceptor.queries.size() - before).isEqualTo(5);
            assertThat(client).isNotDone();

            CompletableFuture.runAsync(() -> drained.complete(null));
            client.get(30, TimeUnit.SECONDS);
            assertThat(done.get()).isEqualTo(20);
            assertThat(proxy.interceptor.queries.size() - before).isEqualTo(20);
        }
    }

    @Test
    void aSessionPausedOnRowsEndsCleanlyWhenTheClientLeaves() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        proxy.interceptor.rowBackpressure = session -> never;
        Connection connection = proxy.connect("main", "");
        Statement statement = connection.createStatement();
        CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT g, repeat('x', 1000) FROM generate_series(1, " + ROWS + ") AS g")) {
                while (rows.next()) {
                    rows.getString(2);
                }
            } catch (Exception expected) {
                // the connection is closed under it
            }
        });
        ProxyBasicsIT.waitFor(() -> proxy.interceptor.rowCount.get() > 0);
        settled(proxy.interceptor.rowCount, 300);
        int closesBefore = proxy.interceptor.closes.size();
        connection.abort(Runnable::run);
        ProxyBasicsIT.waitFor(() -> proxy.interceptor.closes.size() > closesBefore);
        client.get(10, TimeUnit.SECONDS);
        never.complete(null); // a late completion finds the session ended and does nothing
        var outcome = proxy.interceptor.completedFor("generate_series").outcome();
        assertThat(outcome.error()).isPresent();
    }
}
