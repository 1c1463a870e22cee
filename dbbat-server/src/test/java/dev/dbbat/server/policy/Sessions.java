package dev.dbbat.server.policy;

import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.event.SessionStats;
import dev.dbbat.core.event.Target;
import dev.dbbat.core.spi.SessionHandle;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** Test sessions with a handle that records its termination. */
final class Sessions {
    private Sessions() {}

    /** A handle that remembers why it was terminated. */
    static final class RecordingHandle implements SessionHandle {
        final AtomicReference<String> terminated = new AtomicReference<>();

        @Override
        public void terminate(String message) {
            terminated.compareAndSet(null, message);
        }

        @Override
        public boolean isOpen() {
            return terminated.get() == null;
        }
    }

    static GrantInfo grant(UUID grantId, Instant expiresAt, OptionalLong maxQueries, OptionalLong maxBytes,
            long queriesUsed, long bytesUsed) {
        return new GrantInfo(grantId, Set.of(), Instant.now().minusSeconds(3600), expiresAt, maxQueries, maxBytes,
                queriesUsed, bytesUsed);
    }

    static SessionInfo session(GrantInfo grant, SessionHandle handle) {
        UUID userId = UUID.randomUUID();
        return new SessionInfo(UUID.randomUUID(), "pg-" + Long.toHexString(System.nanoTime()), Protocol.POSTGRESQL,
                new Identity(userId, "alice", Set.of("connector"), Identity.AuthMethod.PASSWORD, Optional.empty()),
                new Target(UUID.randomUUID(), "prod", Protocol.POSTGRESQL, "127.0.0.1", 5432, "app", "u", "p",
                        "disable", Optional.empty(), false),
                grant, new InetSocketAddress("127.0.0.1", 40000), Instant.now(), Map.of(), new SessionStats(),
                handle);
    }

    static QueryEvent query(String sql) {
        return new QueryEvent(UUID.randomUUID(), sql, Optional.empty(), Instant.now(), System.nanoTime());
    }
}
