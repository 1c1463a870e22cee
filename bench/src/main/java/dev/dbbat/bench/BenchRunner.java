package dev.dbbat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the benchmark suite: every figure for a direct connection, pgbouncer (session mode), DBBat with statement
 * logging, and DBBat with result capture, interleaved in the same run; medians of repeated runs with ratios.
 *
 * <p>Usage: {@code java -jar bench/target/dbbat-bench.jar [--rounds N] [--seconds S] [--select-rounds N]
 * [--select-seconds S] [--scale K] [--large-mb M]
 * [--idle N] [--warm-up S] [--connect-warm-up S] [--quick] [--only select,large,connect,idle,logging,writer,cpu,jmh]
 * [--jar path] [--out dir] [--dbbat-jvm "opts"] [--hold SECONDS [--hold-variant "opts"] [--hold-jar-b path]]}.
 * {@code --hold} starts the servers, prints their ports and waits (for profiling by hand); with a variant or a
 * second jar it also starts {@code dbbat-b}, a logging proxy with those JVM options or that build, for A/B
 * comparisons.
 */
public final class BenchRunner {
    static final List<String> SECTIONS = List.of("select", "large", "connect", "idle", "logging", "writer", "cpu", "jmh");

    private final Map<String, String> options;
    private final Report report;

    private BenchRunner(Map<String, String> options) {
        this.options = options;
        this.report = new Report();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (key.equals("quick")) {
                options.putIfAbsent("rounds", "1");
                options.putIfAbsent("seconds", "3");
                options.putIfAbsent("select-rounds", "1");
                options.putIfAbsent("select-seconds", "3");
                options.putIfAbsent("warm-up", "3");
                options.putIfAbsent("connect-warm-up", "3");
                options.putIfAbsent("large-mb", "64");
                options.putIfAbsent("idle", "200");
                options.putIfAbsent("jmh-quick", "true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
            options.put(key, args[++i]);
        }
        new BenchRunner(options).run();
        System.exit(0); // zonky and JDBC leave non-daemon threads behind
    }

    int option(String key, int fallback) {
        return Integer.parseInt(options.getOrDefault(key, Integer.toString(fallback)));
    }

    private Set<String> sections() {
        String only = options.get("only");
        if (only == null) {
            return new LinkedHashSet<>(SECTIONS);
        }
        Set<String> result = new LinkedHashSet<>(Arrays.asList(only.split(",")));
        for (String each : result) {
            if (!SECTIONS.contains(each)) {
                throw new IllegalArgumentException("unknown section " + each + " (expected one of " + SECTIONS + ")");
            }
        }
        return result;
    }

    private List<String> dbbatJvmArgs() {
        String value = options.getOrDefault("dbbat-jvm", "").trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    private void run() throws Exception {
        int rounds = option("rounds", 3);
        int seconds = option("seconds", 10);
        Set<String> sections = sections();
        Path jar = Path.of(options.getOrDefault("jar", "dbbat-server/target/dbbat.jar"));
        Path out = Path.of(options.getOrDefault("out", "bench/results"));
        Files.createDirectories(out);
        report.header(rounds, seconds, options, dbbatJvmArgs());
        boolean needsServers = sections.stream().anyMatch(each -> !each.equals("jmh")) || options.containsKey("hold");
        if (needsServers) {
            try (Upstream upstream = Upstream.start(option("scale", 10));
                    PgBouncer bouncer = PgBouncer.start(upstream);
                    DbbatProcess log = DbbatProcess.start("dbbat-log", jar, upstream, "dbbat_store_log", false, 512,
                            Map.of(), dbbatJvmArgs());
                    DbbatProcess capture = DbbatProcess.start("dbbat-capture", jar, upstream, "dbbat_store_capture",
                            true, 512, Map.of(), dbbatJvmArgs())) {
                if (options.containsKey("hold")) {
                    String variant = options.getOrDefault("hold-variant", "").trim();
                    Path jarB = Path.of(options.getOrDefault("hold-jar-b", jar.toString()));
                    if (variant.isEmpty() && !options.containsKey("hold-jar-b")) {
                        hold(upstream, bouncer, log, capture, null);
                        return;
                    }
                    // a second logging-only proxy with other JVM options, for A/B comparisons by hand
                    try (DbbatProcess other = DbbatProcess.start("dbbat-b", jarB, upstream, "dbbat_store_nocache",
                            false, 512, Map.of(), variant.isEmpty() ? List.of() : List.of(variant.split("\\s+")))) {
                        hold(upstream, bouncer, log, capture, other);
                    }
                    return;
                }
                Scenarios scenarios = new Scenarios(report, upstream, bouncer, log, capture, rounds, seconds,
                        option("warm-up", 15), option("select-rounds", 7), option("select-seconds", 7));
                section(sections, "select", scenarios::selectOnly);
                section(sections, "large", () -> scenarios.largeResult(option("large-mb", 1024)));
                section(sections, "connect",
                        () -> scenarios.connectionRate(jar, dbbatJvmArgs(), option("connect-warm-up", 40)));
                section(sections, "idle", () -> scenarios.idleSessions(option("idle", 2000)));
                section(sections, "logging", scenarios::logging);
                section(sections, "writer", scenarios::writerCapacity);
                section(sections, "cpu", scenarios::cpuSplit);
            }
        }
        if (sections.contains("jmh")) {
            Microbenchmarks.run(report, options.containsKey("jmh-quick"));
        }
        report.footer();
        String stamp = LocalDate.now().toString();
        Files.writeString(out.resolve(stamp + ".md"), report.markdown());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(stamp + ".json").toFile(),
                report.json());
        System.out.println(report.markdown());
        System.out.println("written: " + out.resolve(stamp + ".md") + " and .json");
    }

    /** A scenario's body; may throw. */
    private interface Section {
        void run() throws Exception;
    }

    /** Runs one section if selected; a failure is reported in place and the run goes on. */
    private void section(Set<String> sections, String name, Section body) {
        if (!sections.contains(name)) {
            return;
        }
        System.err.println("bench: section " + name + " at " + Instant.now());
        try {
            body.run();
        } catch (Exception | AssertionError ex) {
            ex.printStackTrace();
            report.blank().line("**Section `%s` failed:** `%s`", name, ex.toString().replace('`', '\'')).blank();
            report.put("failed_" + name, ex.toString());
        }
    }

    private void hold(Upstream upstream, PgBouncer bouncer, DbbatProcess log, DbbatProcess capture,
            DbbatProcess other) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        List<Target> all = new ArrayList<>(List.of(upstream.direct(), bouncer.target(), log.target(),
                capture.target()));
        if (other != null) {
            all.add(other.target());
            lines.add("dbbat-b pid " + other.pid());
        }
        for (Target each : all) {
            lines.add(String.format("%s: host=%s port=%d user=%s password=%s dbname=%s", each.name(), each.host(),
                    each.port(), each.user(), each.password(), each.database()));
        }
        lines.add("dbbat-log pid " + log.pid() + " home " + log.home() + "; dbbat-capture pid " + capture.pid()
                + "; pgbouncer pid " + bouncer.pid());
        lines.add("store: " + upstream.storeDsn("dbbat_store_log"));
        System.out.println(String.join("\n", lines));
        System.out.println("holding until " + Instant.now().plusSeconds(option("hold", 600)));
        // a SIGTERM ends the JVM without leaving the try-with-resources: stop the servers from a shutdown hook
        List<AutoCloseable> servers = new ArrayList<>(List.of(log, capture, bouncer, upstream));
        if (other != null) {
            servers.add(0, other);
        }
        Thread cleanup = new Thread(() -> servers.forEach(BenchRunner::closeQuietly), "bench-hold-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Thread.sleep(option("hold", 600) * 1000L);
        Runtime.getRuntime().removeShutdownHook(cleanup);
    }

    private static void closeQuietly(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception ex) {
            System.err.println("bench: stopping " + server + " failed: " + ex);
        }
    }
}
