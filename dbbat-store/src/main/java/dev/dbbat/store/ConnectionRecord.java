package dev.dbbat.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code connections}: a proxied client session (behaviour §1.6). Immutable.
 *
 * @param uid the UUIDv7 id (the session's {@code connectionId})
 * @param userId the DBBat user
 * @param databaseId the target database
 * @param grantId the grant in force when the session started
 * @param protocol the listener's protocol id ({@code postgresql}, {@code mysql}, {@code mariadb}, {@code oracle})
 * @param sourceIp the client's IP address, without port
 * @param connectedAt when the session started
 * @param lastActivityAt the last recorded activity
 * @param disconnectedAt when it ended; empty while open
 * @param closeReason why it ended, e.g. {@code client_closed} or {@code terminated: grant revoked}
 * @param queries statements logged
 * @param bytesTransferred bytes read from and written to the client socket
 */
public record ConnectionRecord(
        UUID uid,
        UUID userId,
        UUID databaseId,
        Optional<UUID> grantId,
        String protocol,
        String sourceIp,
        Instant connectedAt,
        Instant lastActivityAt,
        Optional<Instant> disconnectedAt,
        Optional<String> closeReason,
        long queries,
        long bytesTransferred) {

    public ConnectionRecord {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(disconnectedAt, "disconnectedAt");
        Objects.requireNonNull(closeReason, "closeReason");
    }

    /** A just-opened session: no activity yet, not closed, zero counters. */
    public static ConnectionRecord opened(UUID uid, UUID userId, UUID databaseId, Optional<UUID> grantId,
            String protocol, String sourceIp, Instant connectedAt) {
        return new ConnectionRecord(uid, userId, databaseId, grantId, protocol, sourceIp, connectedAt, connectedAt,
                Optional.empty(), Optional.empty(), 0, 0);
    }

    /** This record without its grant (when the grant row does not exist). */
    public ConnectionRecord withoutGrant() {
        return new ConnectionRecord(uid, userId, databaseId, Optional.empty(), protocol, sourceIp, connectedAt,
                lastActivityAt, disconnectedAt, closeReason, queries, bytesTransferred);
    }

    /**
     * This record as the close {@code update} leaves its row: what {@code ConnectionRepository.closeAll} would make
     * of it (the first disconnection time and reason kept, counters and last activity never lowered).
     */
    public ConnectionRecord closedWith(ConnectionRepository.CloseUpdate update) {
        if (!update.uid().equals(uid)) {
            throw new IllegalArgumentException("close of " + update.uid() + " applied to " + uid);
        }
        Instant disconnected = disconnectedAt.orElse(update.disconnectedAt());
        Instant activity = lastActivityAt.isAfter(update.disconnectedAt()) ? lastActivityAt : update.disconnectedAt();
        return new ConnectionRecord(uid, userId, databaseId, grantId, protocol, sourceIp, connectedAt, activity,
                Optional.of(disconnected), Optional.of(closeReason.orElse(update.closeReason())),
                Math.max(queries, update.queries()), Math.max(bytesTransferred, update.bytesTransferred()));
    }

    /** Whether the session is still open. */
    public boolean open() {
        return disconnectedAt.isEmpty();
    }
}
