package dev.dbbat.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs {@code target/dbbat.jar} in its own JVM with a private HOME ({@code -Duser.home} and env {@code HOME}),
 * collecting stdout and stderr (merged) line by line. Only {@code DBB_*} variables given here reach the process.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target", "dbbat.jar");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "server-output-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code java -jar target/dbbat.jar args...}. */
    public static ServerProcess start(Path home, Map<String, String> env, String... args) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run mvn verify (package first)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Duser.home=" + home);
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("DBB_"));
        environment.put("HOME", home.toString());
        environment.putAll(env);
        try {
            return new ServerProcess(builder.start());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Environment for a server whose every listener is on a free 127.0.0.1 port; returns the API port too. */
    public static Map<String, String> freeListeners(int apiPort) {
        Map<String, String> env = new HashMap<>();
        env.put("DBB_LISTEN_API", "127.0.0.1:" + apiPort);
        env.put("DBB_LISTEN_PG", "127.0.0.1:" + freePort());
        env.put("DBB_LISTEN_ORA", "");
        env.put("DBB_LISTEN_MYSQL", "");
        return env;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    /** Waits until a line matches; fails with the whole output when the process exits or time runs out. */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (matcher.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            sleep(50);
        }
        throw new AssertionError("no matching line within " + timeout + " (alive=" + process.isAlive()
                + "); output:\n" + output());
    }

    /** Waits for exit and returns the status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after " + timeout + "; output:\n" + output());
            }
            reader.join(5_000);
            return process.exitValue();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** SIGTERM, then waits for exit. */
    public int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL (a crashed server). */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    public String output() {
        return String.join("\n", lines);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
