package dev.dbbat.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A row of {@code databases}: an upstream target. Passwords are AES-256-GCM blobs bound to the uid (main credential
 * with {@code database:<uid>}, read-only credential with its own AAD). Nullable: readonlyUsername and
 * readonlyPasswordEncrypted (both or neither), oracleServiceName, createdBy, createdAt, updatedAt.
 */
public record Database(
        UUID uid,
        String name,
        String description,
        String host,
        int port,
        String databaseName,
        String username,
        byte[] passwordEncrypted,
        String readonlyUsername,
        byte[] readonlyPasswordEncrypted,
        String sslMode,
        String protocol,
        String oracleServiceName,
        UUID createdBy,
        Instant createdAt,
        Instant updatedAt) {

    public Database {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordEncrypted, "passwordEncrypted");
        description = description == null ? "" : description;
        databaseName = databaseName == null ? "" : databaseName;
        sslMode = sslMode == null ? "prefer" : sslMode;
        protocol = protocol == null ? "postgresql" : protocol;
    }

    public boolean hasReadOnlyCredential() {
        return readonlyUsername != null && readonlyPasswordEncrypted != null;
    }

    @Override
    public String toString() {
        return "Database[" + uid + " " + name + " " + protocol + "://" + host + ":" + port + "/" + databaseName + "]";
    }
}
