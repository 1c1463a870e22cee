package dev.dbbat.store.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 32-byte AES-256 master key that encrypts stored upstream credentials (behaviour §2.3, §3.2).
 *
 * <p>Resolution order: {@code DBB_KEY} (base64 of 32 bytes), else {@code DBB_KEYFILE} (a file of exactly 32 raw
 * bytes), else {@code <home>/.dbbat/key} (base64 text, created with a fresh random key when missing). Error messages
 * name the source and the length found, never the key material; {@link #toString()} hides the key.
 *
 * <p>Immutable and thread-safe.
 */
public final class MasterKey {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    /** AES-256 key length. */
    public static final int LENGTH = 32;
    static final String ENV_KEY = "DBB_KEY";
    static final String ENV_KEYFILE = "DBB_KEYFILE";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final String source;

    private MasterKey(byte[] key, String source) {
        this.key = key;
        this.source = source;
    }

    /**
     * A key from raw bytes (copied).
     *
     * @throws IllegalArgumentException when {@code key} is not exactly 32 bytes long
     */
    public static MasterKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("master key must be exactly 32 bytes (got " + key.length + ")");
        }
        return new MasterKey(key.clone(), "bytes");
    }

    /**
     * Resolves the key as behaviour §2.3 describes. Blank variables count as unset.
     *
     * @param env the environment ({@code DBB_KEY}, {@code DBB_KEYFILE}); a CLI {@code --key} is put here by the
     *     caller
     * @param home the user's home directory, for the default {@code .dbbat/key}
     * @throws IllegalArgumentException when the configured key is malformed (the message names the variable)
     * @throws UncheckedIOException when a key file cannot be read or created
     */
    public static MasterKey resolve(Map<String, String> env, Path home) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(home, "home");
        String inline = env.get(ENV_KEY);
        if (inline != null && !inline.isBlank()) {
            return new MasterKey(decodeBase64(inline, ENV_KEY), ENV_KEY);
        }
        String keyFile = env.get(ENV_KEYFILE);
        if (keyFile != null && !keyFile.isBlank()) {
            return fromRawFile(Path.of(keyFile.trim()));
        }
        return fromDefaultFile(home.resolve(".dbbat").resolve("key"));
    }

    private static MasterKey fromRawFile(Path file) {
        byte[] bytes;
        String length;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(LENGTH + 1); // bounded: the path may be a device or a huge file
            if (Files.isRegularFile(file)) {
                length = Long.toString(Files.size(file));
            } else {
                length = bytes.length > LENGTH ? "more than 32" : Integer.toString(bytes.length);
            }
        } catch (NoSuchFileException ex) {
            throw new IllegalArgumentException(ENV_KEYFILE + " points to a missing file: " + file);
        } catch (IOException ex) {
            throw new UncheckedIOException(ENV_KEYFILE + ": cannot read " + file, ex);
        }
        if (bytes.length != LENGTH || !length.equals("32")) {
            Arrays.fill(bytes, (byte) 0);
            throw new IllegalArgumentException(ENV_KEYFILE + " must contain exactly 32 raw bytes (got " + length + ")"
                    + (length.equals("44") || length.equals("45") ? "; it looks like base64 text, use DBB_KEY for that"
                            : ""));
        }
        return new MasterKey(bytes, ENV_KEYFILE);
    }

    private static MasterKey fromDefaultFile(Path file) {
        try {
            return new MasterKey(decodeBase64(Files.readString(file, StandardCharsets.US_ASCII), file.toString()),
                    file.toString());
        } catch (NoSuchFileException ex) {
            return create(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the master key file " + file, ex);
        }
    }

    private static MasterKey create(Path file) {
        byte[] key = new byte[LENGTH];
        RANDOM.nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            createPrivateDirectory(file.getParent());
            createPrivateFile(file);
            Files.write(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException ex) {
            // another process created it between our read and our create: use theirs
            return fromDefaultFile(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot create the master key file " + file, ex);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
        LOG.warn("no DBB_KEY or DBB_KEYFILE set: generated a new master key in {}. Back it up: losing it makes every "
                + "stored database credential unrecoverable", file);
        return new MasterKey(key, file.toString());
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (supportsPosix(dir.getParent())) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void createPrivateFile(Path file) throws IOException {
        if (supportsPosix(file.getParent())) {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            Files.setPosixFilePermissions(file, ownerOnly);
        } else {
            Files.createFile(file);
        }
    }

    private static boolean supportsPosix(Path anyPath) {
        Path probe = anyPath == null ? Path.of(".") : anyPath;
        return probe.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static byte[] decodeBase64(String text, String sourceName) {
        byte[] result;
        try {
            result = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(sourceName + " must be base64 of exactly 32 bytes (not valid base64)");
        }
        if (result.length != LENGTH) {
            int length = result.length;
            Arrays.fill(result, (byte) 0);
            throw new IllegalArgumentException(sourceName + " must be base64 of exactly 32 bytes (got " + length + ")");
        }
        return result;
    }

    /** Where the key came from: {@code DBB_KEY}, {@code DBB_KEYFILE}, the default file's path, or {@code bytes}. */
    public String source() {
        return source;
    }

    /** The key as a JCA AES key. */
    SecretKey aesKey() {
        return new SecretKeySpec(key, "AES");
    }

    /** A copy of the raw key bytes, for key derivation; the caller should wipe it after use. */
    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "MasterKey[source=" + source + ", key=***]";
    }
}
