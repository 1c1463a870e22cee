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
     * @param maxRetainedBytes largest heap occupancy right after a collection (-1 when none ran or not applicable)
     * @param maxRssBytes largest RSS of the proxy process seen while streaming (-1 when not applicable)
     * @param samples heap and RSS once a second
     */
    record LargeResult(double megabytesPerSecond, long maxHeapBytes, long maxRetainedBytes, long maxRssBytes,
            List<String> samples) {
        /**
         * Several runs of one target as one figure: the median MB/s (upper median for an even count) with that run's
         * samples, and the largest memory figures seen in any run.
         */
        static LargeResult median(List<LargeResult> runs) {
            List<LargeResult> sorted = new ArrayList<>(runs);
            sorted.sort(java.util.Comparator.comparingDouble(LargeResult::megabytesPerSecond));
            LargeResult middle = sorted.get(sorted.size() / 2);
            return new LargeResult(middle.megabytesPerSecond(),
                    runs.stream().mapToLong(LargeResult::maxHeapBytes).max().orElse(-1),
                    runs.stream().mapToLong(LargeResult::maxRetainedBytes).max().orElse(-1),
                    runs.stream().mapToLong(LargeResult::maxRssBytes).max().orElse(-1), middle.samples());
        }
    }

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
    static LargeResult largeResult(Target target, long megabytes, double limitMbPerSecond, long proxyPid,
            boolean jvm) throws SQLException, InterruptedException, java.io.IOException {
        long rows = megabytes * 1024 * 1024 / 1000;
        long bytes = 0;
        try (MemorySampler sampler = MemorySampler.start(proxyPid, jvm);
                Connection connection = DriverManager.getConnection(url(target), login(target, false))) {
            connection.setAutoCommit(false);
            // the clock starts once jstat is up (its JVM start-up would otherwise take CPU from the measured read)
            sampler.awaitFirstSample(3000);
            long start = System.nanoTime();
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                try (ResultSet rs = statement.executeQuery(
                        "SELECT repeat('x', 1000) FROM generate_series(1, " + rows + ")")) {
                    while (rs.next()) {
                        bytes += rs.getString(1).length();
                        if (limitMbPerSecond > 0 && (bytes & 0xFFFFF) < 1000) {
                            double elapsed = (System.nanoTime() - start) / 1e9;
                            double ahead = bytes / (limitMbPerSecond * 1024 * 1024) - elapsed;
                            if (ahead > 0) {
                                Thread.sleep((long) (ahead * 1000));
                            }
                        }
                    }
                }
            }
            connection.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new LargeResult(bytes / 1024.0 / 1024.0 / seconds, sampler.maxHeapBytes(),
                    sampler.maxRetainedBytes(), sampler.maxRssBytes(), sampler.samples());
        }
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
     * Figures of idle sessions held open through a proxy.
     *
     * @param rssBefore proxy RSS before the sessions opened
     * @param liveHeapBefore proxy heap after a full GC, before
     * @param rss proxy RSS with the sessions open
     * @param heapUsed proxy used heap with the sessions open (garbage included)
     * @param liveHeap proxy heap after a full GC with the sessions open
     * @param opened sessions opened
     */
    record IdleResult(long rssBefore, long liveHeapBefore, long rss, long heapUsed, long liveHeap, int opened) {}

    /** Opens {@code count} sessions (each runs {@code SELECT 1}) and keeps them idle, then samples the proxy. */
    static IdleResult idleSessions(Target target, int count, long proxyPid, boolean jvm) throws Exception {
        long liveBefore = jvm ? Processes.liveHeapBytes(proxyPid) : -1;
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
            long rss = Processes.rssBytes(proxyPid);
            long used = jvm ? Processes.heapUsedBytes(proxyPid) : -1;
            long live = jvm ? Processes.liveHeapBytes(proxyPid) : -1;
            return new IdleResult(rssBefore, liveBefore, Math.max(rss, Processes.rssBytes(proxyPid)), used, live,
                    connections.size());
        } finally {
            for (Connection each : connections) {
                each.close();
            }
            pool.shutdown();
        }
    }

    /** Waits until the upstream serves fewer than {@code limit} client backends, or {@code timeout} passes. */
    static void awaitBackendsBelow(String jdbcUrl, int limit, java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE backend_type = 'client backend'")) {
                rs.next();
                if (rs.getLong(1) < limit) {
                    return;
                }
            }
            Thread.sleep(200);
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
