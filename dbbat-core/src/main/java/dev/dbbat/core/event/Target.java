package dev.dbbat.core.event;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The upstream server a session connects to, with the decrypted credentials DBBat logs in with.
 *
 * <p>The password is a secret: never log it, never put it in an event. {@link #toString()} omits it.
 *
 * @param databaseId the {@code databases.uid}
 * @param name the DBBat name clients use
 * @param protocol the target's protocol
 * @param host upstream host
 * @param port upstream port
 * @param databaseName the real database (schema) name on the upstream
 * @param username upstream login
 * @param password upstream password (decrypted)
 * @param sslMode libpq-style ssl mode: disable, allow, prefer, require, verify-ca, verify-full
 * @param oracleServiceName Oracle service name, when relevant
 * @param readOnlyCredential whether {@code username}/{@code password} are the database's read-only credential
 */
public record Target(
        UUID databaseId,
        String name,
        Protocol protocol,
        String host,
        int port,
        String databaseName,
        String username,
        String password,
        String sslMode,
        Optional<String> oracleServiceName,
        boolean readOnlyCredential) {

    public Target {
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sslMode, "sslMode");
        Objects.requireNonNull(oracleServiceName, "oracleServiceName");
    }

    @Override
    public String toString() {
        return "Target[" + name + " " + protocol.id() + "://" + username + "@" + host + ":" + port + "/" + databaseName
                + (readOnlyCredential ? " (read-only credential)" : "") + "]";
    }
}
