package dev.dbbat.server;

import dev.dbbat.server.config.ServerConfig;
import dev.dbbat.store.crypto.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves the master key (behaviour.md §2.3) from the effective configuration, so {@code --key} and the config
 * file take part in the precedence: {@code DBB_KEY}, else {@code DBB_KEYFILE} (32 raw bytes), else
 * {@code <home>/key} (base64 text, created with mode 0600 on first start), where home is {@code ~/.dbbat} or
 * {@code DBB_HOME}.
 */
final class Keys {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Keys.class);
    private Keys() {}

    static MasterKey resolve(ServerConfig config) {
        Map<String, String> env = new HashMap<>();
        config.key().ifPresent(key -> env.put("DBB_KEY", key));
        config.keyFile().ifPresent(file -> env.put("DBB_KEYFILE", file.toString()));
        Path home = config.home();
        try {
            if (env.isEmpty() && !isNamedDotDbbat(home)) {
                // MasterKey's default file is <userHome>/.dbbat/key; a DBB_HOME with another name keeps it at <home>/key
                return resolveUnder(home);
            }
            return MasterKey.resolve(env, isNamedDotDbbat(home) ? home.getParent() : home);
        } catch (IllegalArgumentException ex) {
            throw new StartupException(StartupException.CONFIG, "invalid " + ex.getMessage(), ex);
        } catch (UncheckedIOException ex) {
            throw new StartupException(StartupException.CONFIG, ex.getMessage(), ex);
        }
    }

    private static boolean isNamedDotDbbat(Path home) {
        return home.getFileName() != null && home.getFileName().toString().equals(".dbbat")
                && home.getParent() != null;
    }

    /** {@code <home>/key}: base64 text of 32 bytes, created (0600) with a random key when missing. */
    private static MasterKey resolveUnder(Path home) {
        Path file = home.resolve("key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[MasterKey.LENGTH];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(home);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                LOG.warn("generated a new master key in {}: keep it safe, losing it makes the stored database "
                        + "credentials unrecoverable", file);
                return MasterKey.of(key);
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + " must be base64 of exactly 32 bytes (not valid base64)");
            }
            if (key.length != MasterKey.LENGTH) {
                throw new IllegalArgumentException(file + " must be base64 of exactly 32 bytes (got " + key.length
                        + ")");
            }
            return MasterKey.of(key);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, ex);
        }
    }
}
