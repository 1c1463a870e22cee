package dev.dbbat.core.event;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * What a client said about itself when it asked to log in to a proxy, before anything is verified.
 *
 * @param protocol the listener's protocol
 * @param username the DBBat user name the client sent
 * @param databaseName the DBBat database name ({@code databases.name}) the client asked for, possibly empty
 * @param remote the client's address
 * @param attributes protocol-specific startup attributes (application_name, program_name, ...); never secrets
 */
public record LoginAttempt(
        Protocol protocol,
        String username,
        String databaseName,
        InetSocketAddress remote,
        Map<String, String> attributes) {

    public LoginAttempt {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(remote, "remote");
        attributes = Map.copyOf(attributes);
    }
}
