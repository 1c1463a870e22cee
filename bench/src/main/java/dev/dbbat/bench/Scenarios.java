package dev.dbbat.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/** The measured scenarios, each writing its section of the {@link Report}. */
final class Scenarios {
    private final Report report;
    private final Upstream upstream;
    private final PgBouncer bouncer;
    private final DbbatProcess log;
    private final DbbatProcess capture;
    private final int rounds;
    private final int seconds;
    /** Seconds of unmeasured pgbench load per mode and target before the select-only rounds. */
    private final int warmUpSeconds;
    /** Rounds and seconds per run of the select-only section (more, shorter runs than the other sections). */
    private final int selectRounds;
    private final int selectSeconds;
    private final Random random = new Random(42);

    Scenarios(Report report, Upstream upstream, PgBouncer bouncer, DbbatProcess log,
            DbbatProcess capture, int rounds, int seconds, int warmUpSeconds, int selectRounds, int selectSeconds) {
        this.report = report;
        this.upstream = upstream;
        this.bouncer = bouncer;
        this.log = log;
        this.capture = capture;
        this.rounds = rounds;
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
        this.selectRounds = selectRounds;
        this.selectSeconds = selectSeconds;
    }

    private List<Target> targets() {
        return List.of(upstream.direct(), bouncer.target(), log.target(), capture.target());
    }

    void selectOnly() throws Exception {
        report.heading("1. pgbench select-only (`-S`)")
                .line("pgbench 15 (Debian), `-S -n -T %d`, `-j` = min(clients, 2); latency percentiles from the "
                        + "per-transaction log (`-l`). Each figure is the median of %d rounds, the targets in a new "
                        + "random order in each round. On a shared 2-core machine one run of a target varies by "
                        + "10-20 %% from the next, so this section takes more, shorter runs than the others; the "
                        + "target lines also give the median of the per-round ratios (each round's two runs are "
                        + "at most a few runs apart, so slow drifts of the machine cancel in them). Each run starts "
                        + "once the machine is quiet (under 10 %% of its CPU busy over 250 ms, waiting at most 8 s): "
                        + "what a run leaves behind (a proxy's writer finishing its last batch or a capture's rows, "
                        + "the store's autovacuum, the harness reading pgbench's log) no longer lands in the next "
                        + "run, whichever target that is. Before the "
                        + "rounds, every target serves %d s of each mode at "
                        + "8 clients, unmeasured (their TPS are in the JSON as `warm_up`): a freshly started JVM runs "
                        + "interpreted and JIT-compiles its hot paths over the first tens of seconds under load (on "
                        + "this machine the first 8 s through a new proxy ran at a third to a half of its later rate), "
                        + "while a proxy in service has long been compiled. pgbouncer and the upstream get the same "
                        + "warm-up.",
                        selectSeconds, selectRounds, warmUpSeconds)
                .blank()
                .line("| mode | clients | target | TPS | p50 µs | p99 µs | TPS vs direct | TPS vs pgbouncer | "
                        + "p50 − direct µs |")
                .line("|---|---|---|---|---|---|---|---|---|");
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("warm_up", warmUp());
        for (String mode : List.of("simple", "prepared")) {
            for (int clients : List.of(1, 8)) {
                Map<String, List<Pgbench.Result>> runs = new LinkedHashMap<>();
                for (int round = 0; round < selectRounds; round++) {
                    List<Target> order = new ArrayList<>(targets());
                    Collections.shuffle(order, random);
                    for (Target target : order) {
                        runs.computeIfAbsent(target.name(), k -> new ArrayList<>())
                                .add(Pgbench.selectOnly(target, mode, clients, selectSeconds));
                    }
                }
                Map<String, double[]> medians = new LinkedHashMap<>();
                for (Target target : targets()) {
                    List<Pgbench.Result> list = runs.get(target.name());
                    medians.put(target.name(), new double[] {
                        Stats.median(list.stream().map(Pgbench.Result::tps).toList()),
                        Stats.median(list.stream().map(Pgbench.Result::p50Micros).toList()),
                        Stats.median(list.stream().map(Pgbench.Result::p99Micros).toList())
                    });
                }
                double[] direct = medians.get("direct");
                double[] pgbouncer = medians.get("pgbouncer");
                for (Target target : targets()) {
                    double[] m = medians.get(target.name());
                    report.line("| %s | %d | %s | %.0f | %.0f | %.0f | %.2f | %.2f | %+.0f |", mode, clients,
                            target.name(), m[0], m[1], m[2], Stats.ratio(m[0], direct[0]),
                            Stats.ratio(m[0], pgbouncer[0]), m[1] - direct[1]);
                }
                double[] log = medians.get("dbbat-log");
                double versusBouncer = Stats.ratio(log[0], pgbouncer[0]);
                List<Double> perRound = Stats.ratios(tps(runs.get("dbbat-log")), tps(runs.get("pgbouncer")));
                report.target(String.format("select-only %s, %d client%s: dbbat-log ≥ 90%% of pgbouncer's TPS", mode,
                        clients, clients == 1 ? "" : "s"), String.format("%.0f vs %.0f TPS (%.2f; per-round "
                        + "ratios: median %.2f, range %.2f-%.2f)", log[0], pgbouncer[0], versusBouncer,
                        Stats.median(perRound), Collections.min(perRound), Collections.max(perRound)),
                        versusBouncer >= 0.9);
                if (clients == 1) {
                    report.target(String.format("select-only %s, 1 client: dbbat-log p50 ≤ direct + 60 µs", mode),
                            String.format("%.0f vs %.0f µs (%+.0f)", log[1], direct[1], log[1] - direct[1]),
                            log[1] - direct[1] <= 60);
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("runs", runs);
                entry.put("medians_tps_p50_p99", medians);
                entry.put("dbbat_log_vs_pgbouncer_per_round", perRound);
                section.put(mode + "-" + clients, entry);
            }
        }
        report.put("select_only", section);
        report.blank();
    }

    private static List<Double> tps(List<Pgbench.Result> results) {
        return results.stream().map(Pgbench.Result::tps).toList();
    }

    /**
     * CPU per transaction by component at 8 clients (prepared), for direct, pgbouncer and dbbat-log: at 8 clients the
     * two cores are busy, so each target's TPS follows the inverse of what a transaction costs on the whole machine,
     * and this shows how much of the select-only gap is the proxy's relay and how much its statement log.
     */
    void cpuSplit() throws Exception {
        int clients = 8;
        List<Target> measured = List.of(upstream.direct(), bouncer.target(), log.target());
        report.heading("7. Where a transaction's CPU goes (select-only, " + clients + " clients)")
                .line("pgbench `-S -c %d`, simple then prepared, %d s per run, %d rounds (targets shuffled in each "
                        + "round), after %d s of unmeasured load through each. CPU time (user + system) per "
                        + "transaction of every process on the path, from `/proc` around each run: pgbench (the "
                        + "harness's reaped child), the upstream's backends, the stores' backends (`dbbat_store_*` "
                        + "databases on the same server), PostgreSQL's own processes, pgbouncer, and the proxy's "
                        + "threads by name. Medians per component; clock ticks are 10 ms, so a figure is good to "
                        + "about ±0.1 µs. With both cores busy, TPS goes with the inverse of the total.",
                        clients, seconds, rounds, warmUpSeconds)
                .blank();
        CpuSplit split = new CpuSplit(upstream.postmasterPid());
        Map<String, Object> section = new LinkedHashMap<>();
        for (String mode : List.of("simple", "prepared")) {
            section.put(mode, cpuSplit(split, mode, clients, measured));
        }
        report.put("cpu_split", section);
    }

    private Map<String, Object> cpuSplit(CpuSplit split, String mode, int clients, List<Target> measured)
            throws Exception {
        for (Target target : measured) {
            if (warmUpSeconds > 0) {
                Pgbench.selectOnly(target, mode, clients, warmUpSeconds);
            }
        }
        Map<String, List<CpuSplit.Split>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            List<Target> order = new ArrayList<>(measured);
            Collections.shuffle(order, random);
            for (Target target : order) {
                long proxy = target.name().equals(log.target().name()) ? log.pid() : -1;
                long pgbouncer = target.name().equals("pgbouncer") ? bouncer.pid() : -1;
                runs.computeIfAbsent(target.name(), k -> new ArrayList<>())
                        .add(split.measure(target, mode, clients, seconds, proxy, pgbouncer));
            }
        }
        List<String> components = List.of(CpuSplit.CLIENT, CpuSplit.UPSTREAM, CpuSplit.POSTGRES, CpuSplit.BOUNCER,
                CpuSplit.LOOP, CpuSplit.WRITER, CpuSplit.PROXY_OTHER, CpuSplit.STORE);
        StringBuilder header = new StringBuilder("| " + mode + ": µs per transaction |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Target target : measured) {
            header.append(' ').append(target.name()).append(" |");
            rule.append("---|");
        }
        report.line(header.toString()).line(rule.toString());
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        for (String component : components) {
            StringBuilder row = new StringBuilder("| " + component + " |");
            for (Target target : measured) {
                List<Double> values = runs.get(target.name()).stream()
                        .map(each -> each.microsPerTransaction().getOrDefault(component, 0.0)).toList();
                double median = Stats.median(values);
                medians.computeIfAbsent(target.name(), k -> new LinkedHashMap<>()).put(component, median);
                row.append(String.format(" %.1f |", median));
            }
            report.line(row.toString());
        }
        Map<String, Double> totals = new LinkedHashMap<>();
        Map<String, Double> tps = new LinkedHashMap<>();
        StringBuilder total = new StringBuilder("| **all** |");
        StringBuilder rate = new StringBuilder("| TPS |");
        for (Target target : measured) {
            List<CpuSplit.Split> list = runs.get(target.name());
            totals.put(target.name(), Stats.median(list.stream().map(CpuSplit.Split::total).toList()));
            tps.put(target.name(), Stats.median(list.stream().map(each -> each.result().tps()).toList()));
            total.append(String.format(" **%.1f** |", totals.get(target.name())));
            rate.append(String.format(" %.0f |", tps.get(target.name())));
        }
        report.line(total.toString()).line(rate.toString()).blank();
        Map<String, Double> proxy = medians.get(log.target().name());
        double shared = proxy.get(CpuSplit.CLIENT) + proxy.get(CpuSplit.UPSTREAM) + proxy.get(CpuSplit.POSTGRES);
        double relay = proxy.get(CpuSplit.LOOP) + proxy.get(CpuSplit.PROXY_OTHER);
        double statementLog = proxy.get(CpuSplit.WRITER) + proxy.get(CpuSplit.STORE);
        double allowance = totals.get("pgbouncer") / 0.9 - shared;
        report.line("%s: pgbouncer's total over dbbat-log's: %.2f (measured TPS ratio %.2f). For 0.90 of pgbouncer's "
                        + "TPS at this machine's speed, the proxy and its statement log may cost at most %.1f µs per "
                        + "transaction (pgbouncer's total / 0.9, less the client's and PostgreSQL's %.1f µs); they "
                        + "cost %.1f: the relay (event loop and other threads) %.1f, against pgbouncer's %.1f, and the "
                        + "statement log (writer thread and store backends) %.1f.",
                        mode, Stats.ratio(totals.get("pgbouncer"), totals.get(log.target().name())),
                        Stats.ratio(tps.get(log.target().name()), tps.get("pgbouncer")), allowance, shared,
                        relay + statementLog, relay, medians.get("pgbouncer").get(CpuSplit.BOUNCER), statementLog)
                .blank();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("runs", runs);
        section.put("medians_micros_per_transaction", medians);
        section.put("median_totals", totals);
        section.put("median_tps", tps);
        section.put("allowance_micros_for_0_90", allowance);
        return section;
    }

    /** Unmeasured pgbench load through every target, in each mode; returns their TPS by target and mode. */
    private Map<String, Map<String, Double>> warmUp() throws Exception {
        Map<String, Map<String, Double>> result = new LinkedHashMap<>();
        if (warmUpSeconds <= 0) {
            return result;
        }
        List<Target> order = new ArrayList<>(targets());
        Collections.shuffle(order, random);
        for (Target target : order) {
            for (String mode : List.of("simple", "prepared")) {
                result.computeIfAbsent(target.name(), k -> new LinkedHashMap<>())
                        .put(mode, Pgbench.selectOnly(target, mode, 8, warmUpSeconds).tps());
            }
        }
        return result;
    }

    /** Size of the unmeasured read that warms each target (and the harness's client) before the large result. */
    private static final long WARM_UP_MB = 1024;

    void largeResult(long megabytes) throws Exception {
        report.heading("2. Large result (" + megabytes + " MB)")
                .line("pgjdbc reads `SELECT repeat('x', 1000) FROM generate_series(1, N)` (%d MB of 1000-byte rows) "
                        + "with a cursor (fetch size 1000). The slow client reads at most 50 MB/s. Proxy heap "
                        + "(used, garbage included, `jstat` every second) and RSS are sampled throughout; MB/s is "
                        + "the median of " + rounds + " rounds (targets shuffled in each round), memory the maximum "
                        + "over all rounds, after one unmeasured read of the same size (at most " + WARM_UP_MB
                        + " MB, 128 MB for dbbat-capture) through each target, as JIT warm-up of the client and the "
                        + "proxies; the clock starts once connected and sampling. \"Heap used\" includes garbage not yet collected (the JVM may "
                        + "let it grow towards `-Xmx` before collecting); \"heap after GC\" is survivors + old "
                        + "generation right after a collection.", megabytes)
                .blank()
                .line("| client | target | MB/s | vs direct | proxy max heap used MB | proxy max heap after GC MB | "
                        + "proxy max RSS MB |")
                .line("|---|---|---|---|---|---|---|");
        Map<String, Object> section = new LinkedHashMap<>();
        // one unmeasured read per target first: without it the measured runs pay the JIT warm-up of the harness's
        // pgjdbc and of the freshly started proxies (a fresh proxy reached ~0.7 of a warm one's MB/s in its first
        // 512 MB, ~1.0 after 1 GB); a proxy in service is warm. The capturing proxy warms on less: every row it
        // reads is also written to its store.
        for (Target target : targets()) {
            long warmUp = target.name().equals("dbbat-capture") ? Math.min(megabytes, 128) : Math.min(megabytes,
                    WARM_UP_MB);
            JdbcScenarios.largeResult(target, warmUp, 0, 0, false);
        }
        for (double limit : new double[] {0, 50}) {
            String client = limit == 0 ? "fast" : "slow (50 MB/s)";
            Map<String, List<JdbcScenarios.LargeResult>> runs = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                List<Target> order = new ArrayList<>(targets());
                Collections.shuffle(order, random);
                for (Target target : order) {
                    runs.computeIfAbsent(target.name(), name -> new ArrayList<>()).add(JdbcScenarios.largeResult(
                            target, megabytes, limit, pid(target), target.name().startsWith("dbbat")));
                }
            }
            Map<String, JdbcScenarios.LargeResult> results = new LinkedHashMap<>();
            runs.forEach((name, each) -> results.put(name, JdbcScenarios.LargeResult.median(each)));
            double direct = results.get("direct").megabytesPerSecond();
            for (Target target : targets()) {
                JdbcScenarios.LargeResult r = results.get(target.name());
                report.line("| %s | %s | %.0f | %.2f | %s | %s | %s |", client, target.name(),
                        r.megabytesPerSecond(), Stats.ratio(r.megabytesPerSecond(), direct),
                        Report.mb(r.maxHeapBytes()), Report.mb(r.maxRetainedBytes()), Report.mb(r.maxRssBytes()));
            }
            section.put(client, results);
            Map<String, List<Double>> perRound = new LinkedHashMap<>();
            runs.forEach((name, each) -> perRound.put(name, each.stream()
                    .map(JdbcScenarios.LargeResult::megabytesPerSecond).toList()));
            section.put(client + ", MB/s per round", perRound);
            JdbcScenarios.LargeResult log = results.get("dbbat-log");
            double ratio = Stats.ratio(log.megabytesPerSecond(), direct);
            report.target(String.format("%d MB result, %s client: dbbat-log ≥ 90%% of direct throughput", megabytes,
                    client), String.format("%.0f vs %.0f MB/s (%.2f)", log.megabytesPerSecond(), direct, ratio),
                    ratio >= 0.9);
            for (String name : List.of("dbbat-log", "dbbat-capture")) {
                JdbcScenarios.LargeResult each = results.get(name);
                report.target(String.format("%d MB result, %s client: %s heap < 256 MB throughout", megabytes, client,
                        name), String.format("max used %s MB, max after GC %s MB", Report.mb(each.maxHeapBytes()),
                        Report.mb(each.maxRetainedBytes())), each.maxHeapBytes() >= 0
                        && each.maxHeapBytes() < 256L << 20);
            }
        }
        report.blank().line("Samples over time (dbbat, slow client):").blank();
        @SuppressWarnings("unchecked")
        Map<String, JdbcScenarios.LargeResult> slow = (Map<String, JdbcScenarios.LargeResult>) section.get(
                "slow (50 MB/s)");
        for (String name : List.of("dbbat-log", "dbbat-capture")) {
            List<String> samples = slow.get(name).samples();
            report.line("- %s: %s", name, String.join(", ", thin(samples, 12)));
        }
        report.put("large_result", section);
        report.blank();
    }

    private static List<String> thin(List<String> samples, int max) {
        if (samples.size() <= max) {
            return samples;
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            result.add(samples.get(i * (samples.size() - 1) / (max - 1)));
        }
        return result;
    }

    private long pid(Target target) {
        return switch (target.name()) {
            case "pgbouncer" -> bouncer.pid();
            case "dbbat-log" -> log.pid();
            case "dbbat-capture" -> capture.pid();
            default -> -1;
        };
    }

    /**
     * @param warmUpSeconds unmeasured seconds of the loop per row before the rounds: the login path (both the
     *     proxy's and the harness's pgjdbc and JDK TLS code) is JIT-compiled over minutes at ~100-200 logins/s, and
     *     without it the first round measured half of the third
     */
    void connectionRate(Path jar, List<String> jvmArgs, int warmUpSeconds) throws Exception {
        int threads = 4;
        report.heading("3. Connection setup")
                .line("pgjdbc from %d threads: connect + authenticate + `SELECT 1` + disconnect, as fast as it can, "
                        + "%d s per run, median of %d interleaved rounds. The proxy authenticates PostgreSQL clients "
                        + "with SCRAM-SHA-256 against the verifiers stored when a password or API key is set, with or "
                        + "without TLS (`sslmode=require`; pgbouncer offers TLS with a self-signed EC P-256 "
                        + "certificate, as the proxy does); Argon2id is never on this path (it serves the API's Basic "
                        + "auth and cleartext logins). Each login also resolves the grant and logs in upstream (or "
                        + "reuses an upstream connection); the upstream's SaltedPassword is cached 15 minutes. With "
                        + "the cache warm (`dbbat-log`) a login reuses what a login of the same user read from the "
                        + "store in the last second (`DBB_AUTH_CACHE_LOGIN_TTL_MS`); cold (`dbbat-nocache`, "
                        + "`DBB_AUTH_CACHE_ENABLED=false`) every login reads the store: the user with its SCRAM "
                        + "verifiers, then the user again and the database with its grant. "
                        + "Before the rounds every row runs the loop for %d s unmeasured (rates in the JSON as "
                        + "`warm_up`): the proxies and the harness's client compile their login and TLS code over "
                        + "the first minutes of logins.",
                        threads, seconds, rounds, warmUpSeconds)
                .blank()
                .line("| target | client auth | TLS | connections/s | vs direct |")
                .line("|---|---|---|---|---|");
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        Map<String, Double> warmUp = new LinkedHashMap<>();
        try (DbbatProcess cold = DbbatProcess.start("dbbat-nocache", jar, upstream, "dbbat_store_nocache", false, 512,
                Map.of("DBB_AUTH_CACHE_ENABLED", "false"), jvmArgs)) {
            List<String[]> rows = new ArrayList<>(List.of(
                    new String[] {"direct", "SCRAM", "no"},
                    new String[] {"pgbouncer", "SCRAM", "no"},
                    new String[] {"dbbat-log", "SCRAM", "no"},
                    new String[] {"dbbat-log", "SCRAM", "yes"},
                    new String[] {"dbbat-nocache", "SCRAM, auth cache disabled", "no"},
                    new String[] {"dbbat-nocache", "SCRAM, auth cache disabled", "yes"}));
            if (bouncer.tls()) {
                rows.add(2, new String[] {"pgbouncer", "SCRAM", "yes"});
            }
            for (String[] row : rows) {
                warmUp.put(String.join(" | ", row), warmUpSeconds <= 0 ? 0.0 : JdbcScenarios.connectionsPerSecond(
                        connectTarget(row[0], cold), row[2].equals("yes"), threads, warmUpSeconds));
            }
            for (int round = 0; round < rounds; round++) {
                List<String[]> order = new ArrayList<>(rows);
                Collections.shuffle(order, random);
                for (String[] row : order) {
                    runs.computeIfAbsent(String.join(" | ", row), k -> new ArrayList<>())
                            .add(JdbcScenarios.connectionsPerSecond(connectTarget(row[0], cold), row[2].equals("yes"),
                                    threads, seconds));
                }
            }
        }
        double direct = Stats.median(runs.get("direct | SCRAM | no"));
        Map<String, Object> section = new LinkedHashMap<>();
        runs.forEach((key, values) -> {
            double median = Stats.median(values);
            report.line("| %s | %.0f | %.2f |", key, median, Stats.ratio(median, direct));
            section.put(key, values);
        });
        section.put("warm_up", warmUp);
        report.put("connection_rate", section);
        for (String tls : List.of("no", "yes")) {
            String key = "dbbat-log | SCRAM | " + tls;
            double median = Stats.median(runs.get(key));
            List<Double> bouncerRuns = runs.get("pgbouncer | SCRAM | " + tls);
            List<Double> coldRuns = runs.get("dbbat-nocache | SCRAM, auth cache disabled | " + tls);
            report.target("≥ 300 authenticated connections/s, cache warm (" + key.replace(" | ", ", ") + ")",
                    String.format("%.0f/s (cache cold: %.0f/s; direct: %.0f/s, pgbouncer%s: %s)", median,
                            Stats.median(coldRuns), direct, tls.equals("yes") ? " over TLS" : "",
                            bouncerRuns == null ? "not measured" : String.format("%.0f/s", Stats.median(bouncerRuns))),
                    median >= 300);
        }
        report.blank();
    }

    private Target connectTarget(String name, DbbatProcess nocache) {
        return switch (name) {
            case "direct" -> upstream.direct();
            case "pgbouncer" -> bouncer.target();
            case "dbbat-log" -> log.target();
            default -> nocache.target();
        };
    }

    void idleSessions(int count) throws Exception {
        JdbcScenarios.IdleResult dbbat = JdbcScenarios.idleSessions(log.target(), count, log.pid(), true);
        JdbcScenarios.IdleResult pgbouncer;
        try {
            // the proxy's 2,000 upstream backends exit asynchronously: pgbouncer's logins would otherwise hit
            // max_connections, back off (server_login_retry) and its clients time out in the queue
            JdbcScenarios.awaitBackendsBelow("jdbc:postgresql://127.0.0.1:" + upstream.port() + "/postgres", 100,
                    java.time.Duration.ofSeconds(60));
            pgbouncer = JdbcScenarios.idleSessions(bouncer.target(), count, bouncer.pid(), false);
        } catch (Exception ex) {
            System.err.println("pgbouncer idle sessions failed: " + ex);
            pgbouncer = new JdbcScenarios.IdleResult(-1, -1, -1, -1, -1, 0);
        }
        report.heading("4. Idle sessions")
                .line("%d sessions opened (each runs `SELECT 1`) and held idle for 3 s; then the proxy's RSS, used "
                        + "heap, and heap after a full GC (`jcmd GC.run`, the live set).", count)
                .blank()
                .line("| target | sessions | RSS before MB | RSS with sessions MB | RSS per session KB | "
                        + "heap used MB | live heap before MB | live heap with sessions MB | "
                        + "live heap per session KB |")
                .line("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, JdbcScenarios.IdleResult> each : Map.of("dbbat-log", dbbat, "pgbouncer", pgbouncer)
                .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            JdbcScenarios.IdleResult r = each.getValue();
            report.line("| %s | %d | %s | %s | %s | %s | %s | %s | %s |", each.getKey(), r.opened(),
                    Report.mb(r.rssBefore()), Report.mb(r.rss()), perSession(r.rss() - r.rssBefore(), r.opened()),
                    Report.mb(r.heapUsed()), Report.mb(r.liveHeapBefore()), Report.mb(r.liveHeap()),
                    r.liveHeap() < 0 ? "–" : perSession(r.liveHeap() - r.liveHeapBefore(), r.opened()));
        }
        report.put("idle_sessions", Map.of("dbbat-log", dbbat, "pgbouncer", pgbouncer));
        report.target(count + " idle sessions: dbbat-log RSS < 512 MB", dbbat.opened() + " sessions, RSS "
                + Report.mb(dbbat.rss()) + " MB",
                dbbat.opened() == count && dbbat.rss() > 0 && dbbat.rss() < 512L << 20);
        report.blank();
    }

    private static String perSession(long bytes, int sessions) {
        return sessions == 0 ? "–" : Long.toString(bytes / sessions / 1024);
    }

    void logging() throws Exception {
        LongSupplier counter = JdbcScenarios.storeQueryCounter(
                "jdbc:postgresql://127.0.0.1:" + upstream.port() + "/dbbat_store_log");
        long before = awaitStable(counter);
        Pgbench.Result result = Pgbench.selectOnly(log.target(), "prepared", 8, seconds);
        long ended = System.nanoTime();
        long recorded = counter.getAsLong() - before;
        long lastChange = System.nanoTime();
        while (System.nanoTime() - ended < 120_000_000_000L && System.nanoTime() - lastChange < 5_000_000_000L) {
            Thread.sleep(200);
            long now = counter.getAsLong() - before;
            if (now != recorded) {
                recorded = now;
                lastChange = System.nanoTime();
            }
            if (recorded >= result.processed()) {
                lastChange = System.nanoTime();
                break;
            }
        }
        double lagSeconds = Math.max(0, (lastChange - ended) / 1e9);
        long missing = Math.max(0, result.processed() - recorded);
        report.heading("5. Statement logging")
                .line("End to end: pgbench `-S -M prepared -c 8` (the proxy's select-only peak) through dbbat-log for "
                        + "%d s, then the `queries` rows of the store are counted.", seconds)
                .blank()
                .line("| TPS through the proxy | transactions | statement records written | missing | "
                        + "writer caught up after the run |")
                .line("|---|---|---|---|---|")
                .line("| %.0f | %d | %d | %d | %.1f s |", result.tps(), result.processed(), recorded, missing,
                        lagSeconds)
                .blank()
                .line("(pgbench's own start-up statement, `select count(*) from pgbench_branches`, is logged too: "
                        + "written can exceed transactions by one.)")
                .blank();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("tps", result.tps());
        section.put("transactions", result.processed());
        section.put("recorded", recorded);
        section.put("missing", missing);
        section.put("lag_seconds", lagSeconds);
        report.put("logging", section);
        report.target("logging keeps up at the select-only peak, no statement record dropped", String.format(
                "%d of %d written, %.1f s to catch up", recorded, result.processed(), lagSeconds), missing == 0);
    }

    private static long awaitStable(LongSupplier counter) throws InterruptedException {
        long value = counter.getAsLong();
        for (int i = 0; i < 60; i++) {
            Thread.sleep(500);
            long next = counter.getAsLong();
            if (next == value) {
                return value;
            }
            value = next;
        }
        return value;
    }

    void writerCapacity() throws Exception {
        List<WriterCapacity.Result> results = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            results.add(WriterCapacity.measure(upstream.storeDsn("dbbat_store_log"), seconds));
        }
        double written = Stats.median(results.stream().map(WriterCapacity.Result::written).toList());
        report.heading("5b. Store writer capacity")
                .line("In-process (`AsyncEventWriter` with its defaults: up to 2000 events per batch, up to "
                        + "250 ms to fill one, a batch of new statement records sent as one binary `COPY`), one "
                        + "producer offering pgbench-like statement records as fast as it can for up to %d s or until "
                        + "back-pressure turns on (100 000 queued):", seconds)
                .blank()
                .line("| round | offered/s | written/s | back-pressure after | drain after stop | not written |")
                .line("|---|---|---|---|---|---|");
        for (int i = 0; i < results.size(); i++) {
            WriterCapacity.Result r = results.get(i);
            report.line("| %d | %.0f | %.0f | %s | %d ms | %d |", i + 1, r.offered(), r.written(),
                    r.backpressureAfterMillis() < 0 ? "never" : r.backpressureAfterMillis() + " ms", r.drainMillis(),
                    r.failed());
        }
        report.blank().line("Median: the writer sustains **%.0f statement records/s**.", written).blank();
        report.put("writer_capacity", Map.of("rounds", results, "median_written_per_second", written));
    }
}
