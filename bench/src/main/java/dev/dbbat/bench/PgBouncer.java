package dev.dbbat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * pgbouncer (Debian package) in session mode in front of the upstream. It refuses to run as root, so it runs as
 * the {@code postgres} system user, with its files in a directory that user owns. Clients may ask for TLS
 * ({@code client_tls_sslmode = allow}, a self-signed EC P-256 certificate made with the {@code openssl} command, as
 * the proxy's generated one is) when that command is there.
 */
final class PgBouncer implements AutoCloseable {
    private final Path directory;
    private final int port;
    private final Process process;
    private final boolean tls;

    private PgBouncer(Path directory, int port, Process process, boolean tls) {
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.tls = tls;
    }

    static PgBouncer start(Upstream upstream) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("bench-pgbouncer");
        int port = Processes.freePort();
        boolean tls = certificate(directory);
        Files.writeString(directory.resolve("userlist.txt"),
                "\"" + Upstream.USER + "\" \"" + Upstream.PASSWORD + "\"\n");
        Files.writeString(directory.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                Upstream.DATABASE + " = host=127.0.0.1 port=" + upstream.port() + " dbname=" + Upstream.DATABASE,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + directory.resolve("userlist.txt"),
                "pool_mode = session",
                "max_client_conn = 5000",
                // session mode: one server connection per client, so the idle-sessions scenario needs 2000+
                "default_pool_size = 2100",
                "server_idle_timeout = 5",
                // a refused server login (e.g. max_connections while other backends exit) is retried after 1 s, not 15
                "server_login_retry = 1",
                "logfile = " + directory.resolve("pgbouncer.log"),
                "pidfile = " + directory.resolve("pgbouncer.pid"),
                tls ? "client_tls_sslmode = allow" : "",
                tls ? "client_tls_cert_file = " + directory.resolve("server.crt") : "",
                tls ? "client_tls_key_file = " + directory.resolve("server.key") : "",
                ""));
        Processes.run(List.of("chown", "-R", "postgres:postgres", directory.toString()), Map.of(),
                Duration.ofSeconds(10));
        // 2000 client + 2000 server connections need more descriptors than the default soft limit of 1024
        // (raised inside runuser: its PAM session resets the soft limit to 1024, which made pgbouncer refuse accepts and
        // server connections with EMFILE and its queued clients time out)
        Process process = new ProcessBuilder("runuser", "-u", "postgres", "--", "sh", "-c",
                        "ulimit -n 16384 && exec pgbouncer " + directory.resolve("pgbouncer.ini"))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .start();
        Processes.awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
        return new PgBouncer(directory, port, process, tls);
    }

    /** Writes {@code server.crt} and {@code server.key} with {@code openssl}; false (no TLS) when that fails. */
    private static boolean certificate(Path directory) throws InterruptedException {
        try {
            Processes.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-days", "30", "-subj", "/CN=pgbouncer", "-keyout", directory.resolve("server.key")
                    .toString(), "-out", directory.resolve("server.crt").toString()), Map.of(), Duration.ofSeconds(30));
            return true;
        } catch (IOException ex) {
            System.err.println("pgbouncer runs without TLS: " + ex.getMessage());
            return false;
        }
    }

    /** Whether clients can log in over TLS. */
    boolean tls() {
        return tls;
    }

    Target target() {
        return new Target("pgbouncer", "127.0.0.1", port, Upstream.USER, Upstream.PASSWORD, Upstream.DATABASE);
    }

    /** pgbouncer's own pid (from its pidfile: the process we started is {@code runuser}), or -1. */
    long pid() {
        try {
            return Long.parseLong(Files.readString(directory.resolve("pgbouncer.pid")).trim());
        } catch (IOException | NumberFormatException ex) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    Path directory() {
        return directory;
    }
}
