package dev.dbbat.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Scenarios driven with pgjdbc: a large streamed result, connection setup rate, idle sessions. */
final class JdbcScenarios {
    private JdbcScenarios() {}

    /**
     * Figures of a large result.
     *
     * @param megabytesPerSecond throughput of row payload read by the client
     * @param maxHeapBytes largest used heap of the proxy process seen while streaming (-1 when not applicable)
     * @param maxRssBytes largest RSS of the proxy process seen while streaming (-1 when not applicable)
     * @param samples "seconds:heapMB:rssMB" samples over time
     */
    record LargeResult(double megabytesPerSecond, long maxHeapBytes, long maxRssBytes, List<String> samples) {}

    static Properties login(Target target, boolean tls) {
        Properties properties = new Properties();
        properties.setProperty("user", target.user());
        properties.setProperty("password", target.password());
        properties.setProperty("sslmode", tls ? "require" : "disable");
        return properties;
    }

    static String url(Target target) {
        return "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + target.database();
    }

    /**
     * Streams {@code megabytes} of 1000-byte rows with a cursor (fetch size 1000). A slow client reads at most
     * {@code limitMbPerSecond} (0 = as fast as it can).
     */
    static LargeResult largeResult(Target target, long megabytes, double limitMbPerSecond, long proxyPid)
            throws SQLException, InterruptedException {
        long rows = megabytes * 1024 * 1024 / 1000;
        List<String> samples = new ArrayList<>();
        AtomicLong maxHeap = new AtomicLong(-1);
        AtomicLong maxRss = new AtomicLong(-1);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        if (proxyPid > 0) {
            sampler.scheduleAtFixedRate(() -> {
                long heap = Processes.heapUsedBytes(proxyPid);
                long rss = Processes.rssBytes(proxyPid);
                maxHeap.accumulateAndGet(heap, Math::max);
                maxRss.accumulateAndGet(rss, Math::max);
                synchronized (samples) {
                    samples.add(String.format("%.1f:%d:%d", (System.nanoTime() - start) / 1e9, heap >> 20, rss >> 20));
                }
            }, 0, 1, TimeUnit.SECONDS);
        }
        long bytes = 0;
        try (Connection connection = DriverManager.getConnection(url(target), login(target, false))) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                try (ResultSet rs = statement.executeQuery(
                        "SELECT repeat('x', 1000) FROM generate_series(1, " + rows + ")")) {
                    long readStart = System.nanoTime();
                    while (rs.next()) {
                        bytes += rs.getString(1).length();
                        if (limitMbPerSecond > 0 && (bytes & 0xFFFFF) < 1000) {
                            double elapsed = (System.nanoTime() - readStart) / 1e9;
                            double ahead = bytes / (limitMbPerSecond * 1024 * 1024) - elapsed;
                            if (ahead > 0) {
                                Thread.sleep((long) (ahead * 1000));
                            }
                        }
                    }
                }
            }
            connection.commit();
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LargeResult(bytes / 1024.0 / 1024.0 / seconds, maxHeap.get(), maxRss.get(), samples);
    }

    /** Connect + authenticate + SELECT 1 + disconnect, from {@code threads} threads for {@code seconds}. */
    static double connectionsPerSecond(Target target, boolean tls, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Properties properties = login(target, tls);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    try (Connection connection = DriverManager.getConnection(url(target), properties);
                            Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> each : futures) {
            each.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Opens {@code count} idle sessions, then reports the proxy's RSS and heap.
     *
     * @return {rssBytes, heapBytes, rssBeforeBytes}
     */
    static long[] idleSessions(Target target, int count, long proxyPid) throws Exception {
        long rssBefore = Processes.rssBytes(proxyPid);
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Connection>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    Connection connection = DriverManager.getConnection(url(target), login(target, false));
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    return connection;
                }));
            }
            for (Future<Connection> each : futures) {
                connections.add(each.get());
            }
            Thread.sleep(3000);
            return new long[] {Processes.rssBytes(proxyPid), Processes.heapUsedBytes(proxyPid), rssBefore};
        } finally {
            for (Connection each : connections) {
                each.close();
            }
            pool.shutdown();
        }
    }

    static LongSupplier storeQueryCounter(String storeJdbcUrl) {
        return () -> {
            try (Connection connection = DriverManager.getConnection(storeJdbcUrl, "postgres", "");
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM queries")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException ex) {
                return -1;
            }
        };
    }
}
