package dev.dbbat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Runs the benchmark suite: every figure for a direct connection, pgbouncer (session mode), DBBat with statement
 * logging, and DBBat with result capture, interleaved in the same run; medians of repeated runs with ratios.
 *
 * <p>Usage: {@code java -jar bench/target/dbbat-bench.jar [--rounds N] [--seconds S] [--scale K] [--large-mb M]
 * [--idle N] [--quick] [--jar path] [--out dir]}.
 */
public final class BenchRunner {
    private final Map<String, String> options;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final StringBuilder markdown = new StringBuilder();

    private BenchRunner(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (key.equals("no-dbbat")) {
                options.put(key, "true");
                continue;
            }
            if (key.equals("quick")) {
                options.put("rounds", "1");
                options.put("seconds", "3");
                options.put("large-mb", "64");
                options.put("idle", "200");
                continue;
            }
            options.put(key, args[++i]);
        }
        new BenchRunner(options).run();
    }

    private int option(String key, int fallback) {
        return Integer.parseInt(options.getOrDefault(key, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int rounds = option("rounds", 3);
        int seconds = option("seconds", 10);
        Path jar = Path.of(options.getOrDefault("jar", "dbbat-server/target/dbbat.jar"));
        Path out = Path.of(options.getOrDefault("out", "bench/results"));
        Files.createDirectories(out);
        markdown.append("# DBBat benchmark, ").append(LocalDate.now()).append("\n\n")
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, Java ")
                .append(System.getProperty("java.version")).append(". Upstream: PostgreSQL 17 (zonky), loopback, ")
                .append("SCRAM. pgbouncer 1.18 in session mode. DBBat: `log` = statement logging on, result capture ")
                .append("off; `capture` = result capture on. Each figure is the median of ").append(rounds)
                .append(" interleaved runs; ratios are against the direct connection (and pgbouncer for TPS).\n\n");
        report.put("date", LocalDate.now().toString());
        report.put("rounds", rounds);
        report.put("seconds", seconds);
        try (Upstream upstream = Upstream.start(option("scale", 10));
                PgBouncer bouncer = PgBouncer.start(upstream)) {
            if (options.containsKey("no-dbbat")) {
                // harness check only: the baselines, without DBBat
                selectOnly(List.of(upstream.direct(), bouncer.target()), rounds, seconds);
            } else {
                try (DbbatProcess log = DbbatProcess.start("dbbat-log", jar, upstream, "dbbat_store_log", false, 512);
                        DbbatProcess capture = DbbatProcess.start(
                                "dbbat-capture", jar, upstream, "dbbat_store_capture", true, 512)) {
                    List<Target> targets =
                            List.of(upstream.direct(), bouncer.target(), log.target(), capture.target());
                    selectOnly(targets, rounds, seconds);
                    largeResult(upstream, bouncer, log, capture);
                    connectionRate(upstream, log, seconds);
                    idleSessions(log);
                    loggingThroughput(upstream, log, seconds);
                }
            }
        }
        String stamp = LocalDate.now().toString();
        Files.writeString(out.resolve(stamp + ".md"), markdown.toString());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(stamp + ".json").toFile(),
                report);
        System.out.println(markdown);
    }

    private void selectOnly(List<Target> targets, int rounds, int seconds) throws Exception {
        markdown.append("## 1. pgbench select-only (`-S`)\n\n")
                .append("| mode | clients | target | TPS | p50 µs | p99 µs | TPS vs direct | TPS vs pgbouncer | p50 − direct µs |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Object> section = new LinkedHashMap<>();
        Random random = new Random(42);
        for (String mode : List.of("simple", "prepared")) {
            for (int clients : List.of(1, 8)) {
                Map<String, List<Pgbench.Result>> runs = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    List<Target> order = new ArrayList<>(targets);
                    Collections.shuffle(order, random);
                    for (Target target : order) {
                        runs.computeIfAbsent(target.name(), k -> new ArrayList<>())
                                .add(Pgbench.selectOnly(target, mode, clients, seconds));
                    }
                }
                Map<String, double[]> medians = new LinkedHashMap<>();
                for (Target target : targets) {
                    List<Pgbench.Result> list = runs.get(target.name());
                    medians.put(target.name(), new double[] {
                        Stats.median(list.stream().map(Pgbench.Result::tps).toList()),
                        Stats.median(list.stream().map(Pgbench.Result::p50Micros).toList()),
                        Stats.median(list.stream().map(Pgbench.Result::p99Micros).toList())
                    });
                }
                double[] direct = medians.get("direct");
                double[] bouncer = medians.get("pgbouncer");
                for (Target target : targets) {
                    double[] m = medians.get(target.name());
                    markdown.append(String.format("| %s | %d | %s | %.0f | %.0f | %.0f | %.2f | %.2f | %+.0f |%n", mode,
                            clients, target.name(), m[0], m[1], m[2], Stats.ratio(m[0], direct[0]),
                            Stats.ratio(m[0], bouncer[0]), m[1] - direct[1]));
                }
                section.put(mode + "-" + clients, runs);
            }
        }
        report.put("select_only", section);
        markdown.append('\n');
    }

    private void largeResult(Upstream upstream, PgBouncer bouncer, DbbatProcess log, DbbatProcess capture)
            throws Exception {
        long megabytes = option("large-mb", 1024);
        markdown.append("## 2. Large result (").append(megabytes).append(" MB of 1000-byte rows, cursor fetch 1000)\n\n")
                .append("| client | target | MB/s | vs direct | proxy max heap MB | proxy max RSS MB |\n|---|---|---|---|---|---|\n");
        Map<String, Object> section = new LinkedHashMap<>();
        for (double limit : new double[] {0, 50}) {
            String client = limit == 0 ? "fast" : "slow (50 MB/s)";
            Map<String, JdbcScenarios.LargeResult> results = new LinkedHashMap<>();
            results.put("direct", JdbcScenarios.largeResult(upstream.direct(), megabytes, limit, -1));
            results.put("pgbouncer", JdbcScenarios.largeResult(bouncer.target(), megabytes, limit, bouncer.pid()));
            results.put("dbbat-log", JdbcScenarios.largeResult(log.target(), megabytes, limit, log.pid()));
            results.put("dbbat-capture", JdbcScenarios.largeResult(capture.target(), megabytes, limit, capture.pid()));
            double direct = results.get("direct").megabytesPerSecond();
            results.forEach((name, r) -> markdown.append(String.format("| %s | %s | %.0f | %.2f | %s | %s |%n", client,
                    name, r.megabytesPerSecond(), Stats.ratio(r.megabytesPerSecond(), direct),
                    r.maxHeapBytes() < 0 ? "–" : Long.toString(r.maxHeapBytes() >> 20),
                    r.maxRssBytes() < 0 ? "–" : Long.toString(r.maxRssBytes() >> 20))));
            section.put(client, results);
        }
        report.put("large_result", section);
        markdown.append('\n');
    }

    private void connectionRate(Upstream upstream, DbbatProcess log, int seconds) throws Exception {
        markdown.append("## 3. Connection setup (connect + auth + `SELECT 1` + close, 4 threads)\n\n")
                .append("| target | TLS | connections/s | vs direct |\n|---|---|---|---|\n");
        Map<String, Object> section = new LinkedHashMap<>();
        double directPlain = JdbcScenarios.connectionsPerSecond(upstream.direct(), false, 4, seconds);
        JdbcScenarios.connectionsPerSecond(log.target(), false, 4, 2); // warm the auth cache
        double proxyPlain = JdbcScenarios.connectionsPerSecond(log.target(), false, 4, seconds);
        double proxyTls = JdbcScenarios.connectionsPerSecond(log.target(), true, 4, seconds);
        markdown.append(String.format("| direct | no | %.0f | 1.00 |%n", directPlain));
        markdown.append(String.format("| dbbat-log (SCRAM) | no | %.0f | %.2f |%n", proxyPlain,
                Stats.ratio(proxyPlain, directPlain)));
        markdown.append(String.format("| dbbat-log (cleartext over TLS, cache warm) | yes | %.0f | %.2f |%n", proxyTls,
                Stats.ratio(proxyTls, directPlain)));
        section.put("direct", directPlain);
        section.put("dbbat_scram", proxyPlain);
        section.put("dbbat_tls", proxyTls);
        report.put("connection_rate", section);
        markdown.append('\n');
    }

    private void idleSessions(DbbatProcess log) throws Exception {
        int count = option("idle", 2000);
        long[] figures = JdbcScenarios.idleSessions(log.target(), count, log.pid());
        markdown.append("## 4. Idle sessions\n\n").append(String.format(
                "%d idle sessions through dbbat-log: proxy RSS %d MB (before: %d MB), heap used %d MB.%n%n", count,
                figures[0] >> 20, figures[2] >> 20, figures[1] >> 20));
        report.put("idle_sessions", Map.of("count", count, "rss_bytes", figures[0], "heap_bytes", figures[1],
                "rss_before_bytes", figures[2]));
    }

    private void loggingThroughput(Upstream upstream, DbbatProcess log, int seconds) throws Exception {
        LongSupplier counter = JdbcScenarios.storeQueryCounter(
                "jdbc:postgresql://127.0.0.1:" + upstream.port() + "/dbbat_store_log");
        long before = counter.getAsLong();
        Pgbench.Result result = Pgbench.selectOnly(log.target(), "simple", 8, seconds);
        long expected = (long) (result.tps() * seconds);
        long recorded = counter.getAsLong() - before;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (recorded < expected * 0.99 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            recorded = counter.getAsLong() - before;
        }
        markdown.append("## 5. Statement logging\n\n").append(String.format(
                "pgbench -S -M simple -c 8 through dbbat-log: %.0f statements/s for %d s (≈%d statements); "
                        + "the store holds %d new statement records after the writer drained.%n%n",
                result.tps(), seconds, expected, recorded));
        report.put("logging", Map.of("tps", result.tps(), "expected", expected, "recorded", recorded));
    }
}
