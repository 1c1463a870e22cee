package dev.dbbat.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs Debian's pgbench against a target and parses TPS and per-transaction latencies. */
final class Pgbench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: ([0-9]+)");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: ([0-9]+)");

    /**
     * One run's figures.
     *
     * @param tps transactions per second (without connection time)
     * @param p50Micros median latency
     * @param p99Micros 99th percentile latency
     * @param failed failed transactions
     * @param processed transactions processed
     */
    record Result(double tps, double p50Micros, double p99Micros, long failed, long processed) {}

    private Pgbench() {}

    static Result selectOnly(Target target, String mode, int clients, int seconds)
            throws IOException, InterruptedException {
        Quiet.settle();
        Path logDirectory = Files.createTempDirectory("bench-pgbench");
        List<String> command = List.of("pgbench", "-S", "-n", "-M", mode, "-c", Integer.toString(clients), "-j",
                Integer.toString(Math.min(clients, 2)), "-T", Integer.toString(seconds), "-l", "--log-prefix",
                logDirectory.resolve("tx").toString(), "-h", target.host(), "-p", Integer.toString(target.port()),
                "-U", target.user(), target.database());
        String output = Processes.run(command, Map.of("PGPASSWORD", target.password(), "PGSSLMODE", "disable"),
                Duration.ofSeconds(seconds + 120L));
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IOException("no tps in pgbench output:\n" + output);
        }
        Matcher failed = FAILED.matcher(output);
        Matcher processed = PROCESSED.matcher(output);
        long[] latencies = Stats.sorted(readLatencies(logDirectory));
        deleteRecursively(logDirectory);
        return new Result(Double.parseDouble(tps.group(1)), Stats.percentile(latencies, 50),
                Stats.percentile(latencies, 99), failed.find() ? Long.parseLong(failed.group(1)) : 0,
                processed.find() ? Long.parseLong(processed.group(1)) : latencies.length);
    }

    /** Per-transaction log lines: client_id transaction_no latency_us script_no epoch epoch_us. */
    private static long[] readLatencies(Path directory) throws IOException {
        List<Long> values = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                try (var lines = Files.lines(file)) {
                    lines.forEach(line -> {
                        String[] parts = line.split(" ");
                        if (parts.length >= 3) {
                            values.add(Long.parseLong(parts[2]));
                        }
                    });
                }
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
