package dev.dbbat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples a process's RSS (from /proc) and, for a JVM, its used heap once a second. The heap comes from one
 * long-running {@code jstat -gc PID 1000} (it reads the JVM's perf-data memory: far cheaper than a jstat per sample,
 * which would take CPU from the measured run on a 2-core machine). Used heap includes garbage not yet collected.
 */
final class MemorySampler implements AutoCloseable {
    private final long pid;
    private final long start = System.nanoTime();
    private final List<String> samples = new ArrayList<>();
    private final Process jstat;
    private final Thread reader;
    private volatile long maxHeap = -1;
    private volatile long maxRss = -1;
    private volatile long maxRetained = -1;
    private long lastCollections = -1;

    private MemorySampler(long pid, boolean jvm) throws IOException {
        this.pid = pid;
        if (jvm) {
            jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "1000").redirectErrorStream(true).start();
            reader = new Thread(this::readJstat, "memory-sampler-" + pid);
        } else {
            jstat = null;
            reader = new Thread(this::pollRss, "memory-sampler-" + pid);
        }
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts sampling; {@code pid <= 0} samples nothing. */
    static MemorySampler start(long pid, boolean jvm) throws IOException {
        return new MemorySampler(pid, jvm && pid > 0);
    }

    private void readJstat() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> header = null;
            for (String line; (line = in.readLine()) != null; ) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 0 && fields[0].equals("S0C")) {
                    header = Arrays.asList(fields);
                    continue;
                }
                if (header == null || fields.length != header.size()) {
                    continue;
                }
                double used = 0;
                for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                    used += Double.parseDouble(fields[header.indexOf(column)]);
                }
                double eden = Double.parseDouble(fields[header.indexOf("EU")]);
                long collections = Long.parseLong(fields[header.indexOf("YGC")])
                        + Long.parseLong(fields[header.indexOf("FGC")]);
                if (lastCollections >= 0 && collections > lastCollections) {
                    // a collection ran since the last sample: survivors + old is what the heap retained
                    maxRetained = Math.max(maxRetained, (long) ((used - eden) * 1024));
                }
                lastCollections = collections;
                record((long) (used * 1024), Processes.rssBytes(pid));
            }
        } catch (IOException | RuntimeException ex) {
            // the process ended: sampling stops
        }
    }

    private void pollRss() {
        while (pid > 0 && !Thread.currentThread().isInterrupted()) {
            record(-1, Processes.rssBytes(pid));
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    private synchronized void record(long heap, long rss) {
        maxHeap = Math.max(maxHeap, heap);
        maxRss = Math.max(maxRss, rss);
        samples.add(String.format("%.0fs heap=%dMB rss=%dMB", (System.nanoTime() - start) / 1e9,
                heap < 0 ? -1 : heap >> 20, rss < 0 ? -1 : rss >> 20));
    }

    long maxHeapBytes() {
        return maxHeap;
    }

    /** Largest survivor + old occupancy seen right after a collection (garbage in eden excluded); -1 if none ran. */
    long maxRetainedBytes() {
        return maxRetained;
    }

    long maxRssBytes() {
        return maxRss;
    }

    /** Waits until a first sample was taken (at most {@code millis}); returns at once when sampling nothing. */
    void awaitFirstSample(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (pid > 0 && System.nanoTime() < deadline) {
            synchronized (this) {
                if (!samples.isEmpty()) {
                    return;
                }
            }
            Thread.sleep(10);
        }
    }

    synchronized List<String> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        reader.interrupt();
        if (jstat != null) {
            jstat.destroy();
            try {
                jstat.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
