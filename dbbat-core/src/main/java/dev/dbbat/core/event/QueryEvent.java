package dev.dbbat.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One statement a client asked to run.
 *
 * @param queryId the {@code queries.uid} (UUIDv7)
 * @param sql the statement text as the client sent it
 * @param parameters bound parameters, when any
 * @param receivedAt when the proxy received it ({@code executed_at})
 * @param receivedNanos {@link System#nanoTime()} at reception, for durations
 */
public record QueryEvent(
        UUID queryId, String sql, Optional<QueryParameters> parameters, Instant receivedAt, long receivedNanos) {

    public QueryEvent {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
