package dev.dbbat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Process and port helpers. */
final class Processes {
    private Processes() {}

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void awaitPort(String host, int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException ex) {
                Thread.sleep(100);
            }
        }
        throw new IOException("nothing listens on " + host + ":" + port + " after " + timeout);
    }

    /** Runs a command to completion, returning its combined output; fails on a non-zero exit. */
    static String run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile("bench-cmd", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (process.exitValue() != 0) {
            throw new IOException("exit " + process.exitValue() + ": " + String.join(" ", command) + "\n" + output);
        }
        return output;
    }

    /** Resident set size of a process in bytes, from /proc. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ex) {
            return -1;
        }
        return -1;
    }

    /** Sum of the RSS of several processes (e.g. postgres backends); -1 when none could be read. */
    static long rssBytes(List<Long> pids) {
        long total = -1;
        for (long pid : pids) {
            long each = rssBytes(pid);
            if (each >= 0) {
                total = Math.max(0, total) + each;
            }
        }
        return total;
    }

    /** Used Java heap after a full collection (the live set), via {@code jcmd GC.run} then jstat; -1 if unknown. */
    static long liveHeapBytes(long pid) {
        try {
            run(List.of("jcmd", Long.toString(pid), "GC.run"), Map.of(), Duration.ofSeconds(30));
        } catch (IOException ex) {
            return -1;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
        return heapUsedBytes(pid);
    }

    /** Used Java heap of a process in bytes, via jstat (S0U+S1U+EU+OU). */
    static long heapUsedBytes(long pid) {
        try {
            String output = run(List.of("jstat", "-gc", Long.toString(pid)), Map.of(), Duration.ofSeconds(10));
            String[] lines = output.trim().split("\n");
            String[] header = lines[0].trim().split("\\s+");
            String[] values = lines[lines.length - 1].trim().split("\\s+");
            double used = 0;
            for (int i = 0; i < header.length; i++) {
                if (List.of("S0U", "S1U", "EU", "OU").contains(header[i])) {
                    used += Double.parseDouble(values[i]);
                }
            }
            return (long) (used * 1024);
        } catch (IOException | RuntimeException ex) {
            return -1;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
