package dev.dbbat.server.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An exclusive, process-wide lock on {@code <home>/dbbat.lock}, taken before anything under the home directory is
 * touched, so that two servers never share one embedded data directory. The lock file holds the owner's pid (for
 * the error message only). The operating system releases the lock if the process dies. Thread-safe.
 */
public final class HomeLock implements AutoCloseable {
    static final String FILE_NAME = "dbbat.lock";

    private final Path home;
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(Path home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code home} (mode 0700) when missing, then locks it.
     *
     * @throws HomeInUseException when another process (or this one) holds the lock
     */
    public static HomeLock acquire(Path home) {
        Path file = home.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            createPrivateDirectory(home);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException ex) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(file);
                channel.close();
                throw new HomeInUseException(home, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(false);
            return new HomeLock(home, channel, lock);
        } catch (IOException ex) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Creates a directory readable only by its owner, or leaves an existing one alone. */
    static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException ex) {
            Files.createDirectories(directory);
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? " by pid " + pid : "";
        } catch (IOException | RuntimeException ex) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    public Path home() {
        return home;
    }

    /** Releases the lock. The file stays (deleting it would race with a starting server). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
