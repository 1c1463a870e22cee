package dev.dbbat.core.event;

import dev.dbbat.core.spi.SessionHandle;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One proxied client session, after authentication and target resolution. Immutable; the live counters are in
 * {@link #stats()}, which the protocol module updates.
 *
 * @param connectionId the {@code connections.uid} (UUIDv7) of this session
 * @param sessionId a short id for log lines, e.g. {@code pg-3f2a1b9c}
 * @param protocol the listener's protocol
 * @param identity the authenticated user
 * @param target the upstream (its password is never logged)
 * @param grant the grant in force, with its usage when the session started
 * @param clientAddress the client's address
 * @param connectedAt when the client was accepted
 * @param attributes client startup attributes (application_name, ...)
 * @param stats live counters of this session
 * @param handle lets policy end the session from any thread
 */
public record SessionInfo(
        UUID connectionId,
        String sessionId,
        Protocol protocol,
        Identity identity,
        Target target,
        GrantInfo grant,
        InetSocketAddress clientAddress,
        Instant connectedAt,
        Map<String, String> attributes,
        SessionStats stats,
        SessionHandle handle) {

    public SessionInfo {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(connectedAt, "connectedAt");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(handle, "handle");
    }
}
