package dev.dbbat.protocol.pg.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs psql / pgbench against the proxy; processes are always killed. */
final class Cli {
    record Result(int exitCode, String output) {}

    private Cli() {}

    static Process start(ProxyHarness proxy, String user, String password, List<String> command) throws IOException {
        return start(proxy, user, password, command, java.util.Map.of());
    }

    static Process start(ProxyHarness proxy, String user, String password, List<String> command,
            java.util.Map<String, String> environment) throws IOException {
        List<String> full = new ArrayList<>(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        builder.environment().put("PGHOST", "127.0.0.1");
        builder.environment().put("PGPORT", String.valueOf(proxy.address.getPort()));
        builder.environment().put("PGUSER", user);
        builder.environment().put("PGSSLMODE", "disable");
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("dbbat-cli", ".out");
        output.toFile().deleteOnExit();
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        OUTPUTS.put(process, output);
        return process;
    }

    private static final java.util.Map<Process, Path> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    static Result finish(Process process, long seconds) throws Exception {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("process did not finish in " + seconds + " s: " + output(process));
            }
            return new Result(process.exitValue(), output(process));
        } finally {
            process.destroyForcibly();
        }
    }

    static String output(Process process) throws IOException {
        return Files.readString(OUTPUTS.get(process), StandardCharsets.UTF_8);
    }

    static Result run(ProxyHarness proxy, String database, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/psql", "-X", "-v", "ON_ERROR_STOP=1", "-d",
                database));
        command.addAll(List.of(args));
        return finish(start(proxy, ProxyHarness.ALICE, ProxyHarness.ALICE_PASSWORD, command), 60);
    }

    static void interrupt(Process process) throws Exception {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }
}
