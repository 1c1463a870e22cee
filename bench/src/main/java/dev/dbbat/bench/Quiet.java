package dev.dbbat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits for the machine to go quiet before a measured run: the work a target leaves behind (a proxy's store writer
 * finishing its last batch, a capturing proxy's rows, the store's autovacuum after a run of inserts, the harness
 * reading pgbench's per-transaction log) otherwise lands in whichever target runs next, at random, and adds noise
 * of several per cent to single runs. Machine-wide CPU from {@code /proc/stat}.
 */
final class Quiet {
    private static final Path STAT = Path.of("/proc/stat");
    /** Busy share of all CPUs over one window that counts as quiet. */
    private static final double QUIET_SHARE = 0.10;
    private static final long WINDOW_MILLIS = 250;
    private static final long MAX_WAIT_MILLIS = 8000;

    private Quiet() {}

    /** Returns once one window was quiet, or after {@link #MAX_WAIT_MILLIS}; the milliseconds waited. */
    static long settle() throws InterruptedException {
        long start = System.nanoTime();
        try {
            long[] before = ticks();
            while ((System.nanoTime() - start) / 1_000_000 < MAX_WAIT_MILLIS) {
                Thread.sleep(WINDOW_MILLIS);
                long[] after = ticks();
                long total = after[0] - before[0];
                long busy = after[1] - before[1];
                before = after;
                if (total > 0 && (double) busy / total < QUIET_SHARE) {
                    break;
                }
            }
        } catch (IOException ex) {
            Thread.sleep(WINDOW_MILLIS); // no /proc/stat: a fixed pause
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** {total, busy} jiffies of all CPUs; busy is everything but idle and iowait. */
    private static long[] ticks() throws IOException {
        String first = Files.readAllLines(STAT).get(0);
        String[] fields = first.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            long value = Long.parseLong(fields[i]);
            total += value;
            if (i == 4 || i == 5) {
                idle += value;
            }
        }
        return new long[] {total, total - idle};
    }
}
