package dev.dbbat.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Where a transaction's CPU goes: CPU time per transaction of each process (and each thread of a DBBat proxy) on the
 * path, from {@code /proc} (user + system time, in clock ticks of 10 ms) around one pgbench run.
 *
 * <p>pgbench is the harness's child, so its time is what the harness reaped ({@code cutime}, {@code cstime}).
 * PostgreSQL's processes are the postmaster's children, told apart by the database on their command line
 * ({@code postgres: user database ...}): the upstream's, the stores' ({@code dbbat_store_*}), and the server's own
 * (WAL writer, checkpointer, ...). A backend that exits during the run (a direct connection's, at its end) reaches
 * the postmaster's reaped time with its whole life; the children are polled every 100 ms so that a backend which
 * existed before the run and exits during it (pgbouncer closes idle server connections) counts only for what it did
 * during the run.
 */
final class CpuSplit {
    static final String CLIENT = "pgbench";
    static final String UPSTREAM = "upstream backends";
    static final String STORE = "store backends";
    static final String POSTGRES = "other PostgreSQL processes";
    static final String LOOP = "proxy event loop";
    static final String WRITER = "proxy store writer";
    static final String PROXY_OTHER = "proxy other threads (GC, JIT, ...)";
    static final String BOUNCER = "pgbouncer";

    private static final double MICROS_PER_TICK = 10_000;

    private final long postmaster;

    CpuSplit(long postmaster) {
        this.postmaster = postmaster;
    }

    /**
     * Runs pgbench against {@code target} and returns its result and microseconds of CPU per transaction by
     * component ({@code proxy} and {@code bouncer}: the pid of the target's process, or -1).
     */
    Split measure(Target target, String mode, int clients, int seconds, long proxy, long bouncer)
            throws IOException, InterruptedException {
        Quiet.settle(); // before the counters: what the previous run left behind is not this one's
        long client0 = reapedTicks(Path.of("/proc/self/stat"));
        long reaped0 = reapedTicks(procStat(postmaster));
        Map<Long, Backend> backends = new HashMap<>();
        poll(backends, true);
        Map<String, Long> threads0 = proxy > 0 ? threadTicks(proxy) : Map.of();
        long bouncer0 = bouncer > 0 ? ownTicks(procStat(bouncer)) : 0;

        CompletableFuture<Pgbench.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Pgbench.selectOnly(target, mode, clients, seconds);
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        });
        while (!run.isDone()) {
            poll(backends, false);
            Thread.sleep(100);
        }
        Pgbench.Result result;
        try {
            result = run.get();
        } catch (ExecutionException ex) {
            throw new IOException("pgbench through " + target.name() + " failed", ex.getCause());
        }
        Thread.sleep(300); // direct connections' backends exit after pgbench does
        poll(backends, false);

        Map<String, Long> ticks = new LinkedHashMap<>();
        ticks.put(CLIENT, reapedTicks(Path.of("/proc/self/stat")) - client0);
        long reapedDuring = reapedTicks(procStat(postmaster)) - reaped0;
        for (Backend each : backends.values()) {
            long used = each.last - each.first;
            if (!each.alive && each.before) {
                // it reached the reaped time with its whole life: take that back out, keep what it did in the run
                reapedDuring -= each.last;
            }
            ticks.merge(each.component, each.alive || each.before ? used : 0, Long::sum);
        }
        // backends born and gone during the run (and the last <= 100 ms of those that existed before): upstream's
        ticks.merge(UPSTREAM, Math.max(0, reapedDuring), Long::sum);
        if (proxy > 0) {
            threadTicks(proxy).forEach((component, value) ->
                    ticks.merge(component, value - threads0.getOrDefault(component, 0L), Long::sum));
        }
        if (bouncer > 0) {
            ticks.put(BOUNCER, ownTicks(procStat(bouncer)) - bouncer0);
        }
        Map<String, Double> micros = new LinkedHashMap<>();
        long transactions = Math.max(1, result.processed());
        ticks.forEach((component, value) -> micros.put(component, value * MICROS_PER_TICK / transactions));
        return new Split(result, micros);
    }

    /**
     * One measured run.
     *
     * @param result pgbench's figures
     * @param microsPerTransaction CPU microseconds per transaction by component
     */
    record Split(Pgbench.Result result, Map<String, Double> microsPerTransaction) {
        double total() {
            return microsPerTransaction.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** A child of the postmaster: its ticks when first and last seen. */
    private static final class Backend {
        final String component;
        final boolean before;
        final long first;
        long last;
        boolean alive = true;

        Backend(String component, boolean before, long first) {
            this.component = component;
            this.before = before;
            this.first = first;
            this.last = first;
        }
    }

    private void poll(Map<Long, Backend> backends, boolean before) throws IOException {
        backends.values().forEach(each -> each.alive = false);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                String[] stat = fields(entry.resolve("stat"));
                if (stat == null || Long.parseLong(stat[1]) != postmaster) {
                    continue;
                }
                long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                Backend known = backends.get(pid);
                if (known == null) {
                    // born during the run: counted from zero (its whole life is in the run)
                    backends.put(pid, new Backend(component(entry), before, before ? ticks : 0));
                    known = backends.get(pid);
                }
                known.last = ticks;
                known.alive = true;
            }
        }
    }

    private static String component(Path process) {
        String command;
        try {
            command = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
        } catch (IOException ex) {
            return POSTGRES;
        }
        // "postgres: <user> <database> <address> <state>" for a backend
        String[] words = command.trim().split("\\s+");
        if (words.length < 3 || !words[0].equals("postgres:")) {
            return POSTGRES;
        }
        if (words[2].startsWith("dbbat_store")) {
            return STORE;
        }
        return words[2].equals(Upstream.DATABASE) ? UPSTREAM : POSTGRES;
    }

    /** Ticks by component of a DBBat proxy's threads. */
    private static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> result = new HashMap<>();
        Function<String, String> component = name -> name.startsWith("dbbat-pg") ? LOOP
                : name.startsWith("dbbat-store-wri") ? WRITER : PROXY_OTHER;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String[] stat = fields(task.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException ex) {
                    continue;
                }
                result.merge(component.apply(name), Long.parseLong(stat[11]) + Long.parseLong(stat[12]), Long::sum);
            }
        }
        return result;
    }

    private static Path procStat(long pid) {
        return Path.of("/proc", Long.toString(pid), "stat");
    }

    private static long ownTicks(Path stat) throws IOException {
        String[] fields = require(stat);
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long reapedTicks(Path stat) throws IOException {
        String[] fields = require(stat);
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    private static String[] require(Path stat) throws IOException {
        String[] fields = fields(stat);
        if (fields == null) {
            throw new IOException("cannot read " + stat);
        }
        return fields;
    }

    /**
     * The fields of a {@code /proc/.../stat} file after the command name, from {@code state} on: index 1 is the
     * parent pid, 11-12 user and system ticks, 13-14 reaped children's; null when the process is gone.
     */
    private static String[] fields(Path stat) {
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }
}
