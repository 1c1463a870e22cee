package dev.dbbat.store;

/**
 * Recorded usage of a (user, database) pair over a window, for quotas (behaviour §5.3 [later]). Immutable.
 *
 * @param queries statements logged in the window ({@code queries.executed_at})
 * @param bytes {@code SUM(connections.bytes_transferred)} of the sessions connected in the window, as last flushed
 */
public record GrantUsage(long queries, long bytes) {
    public static final GrantUsage NONE = new GrantUsage(0, 0);
}
