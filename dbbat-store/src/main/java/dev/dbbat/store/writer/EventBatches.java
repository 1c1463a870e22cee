package dev.dbbat.store.writer;

import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.ConnectionRepository;
import dev.dbbat.store.ConnectionRepository.CloseUpdate;
import dev.dbbat.store.ConnectionRepository.StatsUpdate;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.QueryRepository;
import dev.dbbat.store.QueryRowRecord;
import dev.dbbat.store.StoreException;
import dev.dbbat.store.internal.CopyBinary;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.postgresql.util.PSQLException;

/** Writes a list of events in one transaction, parents first. Stateless; used by the writer thread only. */
final class EventBatches {
    /** SQLSTATE classes that retrying the same data cannot fix. */
    private static final Set<String> PERMANENT_CLASSES = Set.of("22", "23", "42", "2B", "2F", "P0");
    static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String EXISTING_PARENTS = "SELECT uid FROM connections WHERE uid = ANY(:ids)"
            + " UNION ALL SELECT uid FROM queries WHERE uid = ANY(:ids)";

    private EventBatches() {}

    /** Stable sort by phase: connections, started queries, completed queries, rows, stats, closes. */
    static List<WriterEvent> inPhaseOrder(List<WriterEvent> events) {
        List<WriterEvent> result = new ArrayList<>(events);
        result.sort(Comparator.comparingInt(WriterEvent::phase));
        return result;
    }

    /**
     * Writes {@code events} in one transaction.
     *
     * @return the close events whose connection row does not exist (yet): nothing was updated for them
     */
    static List<WriterEvent> write(Jdbi jdbi, List<WriterEvent> events) {
        return write(jdbi, events, null, null);
    }

    /**
     * Writes {@code events} in one transaction; completed statements that {@code copyable} accepts (no row of them
     * can exist yet) are inserted with COPY, the others with an upsert; captured rows are inserted with COPY.
     *
     * @param copyable null: no COPY at all (single events written after a failure)
     * @param copyBuffer where the COPY of statements is rendered (reused across batches); null: a new one
     * @return the close events whose connection row does not exist (yet): nothing was updated for them
     */
    static List<WriterEvent> write(Jdbi jdbi, List<WriterEvent> events, Predicate<UUID> copyable,
            CopyBinary copyBuffer) {
        List<ConnectionRecord> opened = new ArrayList<>();
        List<QueryRecord> started = new ArrayList<>();
        List<QueryRecord> completed = new ArrayList<>();
        List<WriterEvent.Row> rows = new ArrayList<>();
        List<StatsUpdate> stats = new ArrayList<>();
        List<WriterEvent.Closed> closes = new ArrayList<>();
        for (WriterEvent each : events) {
            if (each instanceof WriterEvent.Opened event) {
                opened.add(event.record());
            } else if (each instanceof WriterEvent.Started event) {
                started.add(event.record());
            } else if (each instanceof WriterEvent.Completed event) {
                completed.add(event.record());
            } else if (each instanceof WriterEvent.Row event) {
                rows.add(event);
            } else if (each instanceof WriterEvent.Stats event) {
                stats.add(event.update());
            } else if (each instanceof WriterEvent.Closed event) {
                closes.add(event);
            }
        }
        if (!opened.isEmpty() && !closes.isEmpty()) {
            foldClosesIntoOpened(opened, closes);
        }
        if (!started.isEmpty() && !completed.isEmpty()) {
            // a statement completed in this same batch is inserted whole by its upsert, before the rows
            Set<UUID> done = new HashSet<>();
            completed.forEach(each -> done.add(each.uid()));
            started.removeIf(each -> done.contains(each.uid()));
        }
        List<QueryRecord> copied = new ArrayList<>();
        if (copyable != null) {
            completed.removeIf(each -> copyable.test(each.uid()) && copied.add(each));
        }
        if (!copied.isEmpty() && opened.isEmpty() && started.isEmpty() && completed.isEmpty() && rows.isEmpty()
                && stats.isEmpty() && closes.isEmpty()) {
            // the steady state of a busy proxy: only new statement records. One COPY is atomic on its own: run it
            // outside an explicit transaction (two round trips to the store, and two wake-ups of its backend and of
            // this thread, instead of four with BEGIN and COMMIT)
            jdbi.useHandle(handle -> {
                try {
                    if (!handle.getConnection().getAutoCommit()) {
                        handle.getConnection().setAutoCommit(true);
                    }
                } catch (SQLException ex) {
                    throw new StoreException("copying " + copied.size() + " statement records failed", ex);
                }
                if (copyBuffer != null) {
                    QueryRepository.copyCompleted(handle, copied, copyBuffer);
                } else {
                    QueryRepository.copyCompleted(handle, copied);
                }
            });
            return List.of();
        }
        return jdbi.inTransaction(handle -> {
            if (!opened.isEmpty()) {
                ConnectionRepository.insertAll(handle, opened);
            }
            if (!started.isEmpty()) {
                QueryRepository.insertStarted(handle, started);
            }
            if (!copied.isEmpty()) {
                if (copyBuffer != null) {
                    QueryRepository.copyCompleted(handle, copied, copyBuffer);
                } else {
                    QueryRepository.copyCompleted(handle, copied);
                }
            }
            if (!completed.isEmpty()) {
                QueryRepository.upsertCompleted(handle, completed);
            }
            if (!rows.isEmpty()) {
                if (copyable != null) {
                    // a batch: COPY, its text generated while sent (a duplicate, after an ambiguous commit, fails the
                    // batch and the one-at-a-time path inserts with ON CONFLICT DO NOTHING)
                    RowCopy.copy(handle, rows);
                } else {
                    List<QueryRowRecord> records = new ArrayList<>(rows.size());
                    rows.forEach(each -> records.add(each.record()));
                    QueryRepository.insertRows(handle, records);
                }
            }
            if (!stats.isEmpty()) {
                ConnectionRepository.updateStats(handle, stats);
            }
            List<WriterEvent> missing = new ArrayList<>();
            if (!closes.isEmpty()) {
                List<CloseUpdate> updates = new ArrayList<>(closes.size());
                closes.forEach(each -> updates.add(each.update()));
                int[] counts = ConnectionRepository.closeAll(handle, updates);
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        missing.add(closes.get(i));
                    }
                }
            }
            return missing;
        });
    }

    /**
     * A session that opened and closed within one batch (a short login) is inserted closed: one INSERT instead of an
     * INSERT and an UPDATE, and no dead row version left for vacuum. Its close event leaves {@code closes}. Its
     * counter updates, if any, still run after the insert (they only raise counters and skip closed rows, as they
     * would after the UPDATE).
     */
    static void foldClosesIntoOpened(List<ConnectionRecord> opened, List<WriterEvent.Closed> closes) {
        Map<UUID, Integer> index = new HashMap<>();
        for (int i = 0; i < opened.size(); i++) {
            index.putIfAbsent(opened.get(i).uid(), i);
        }
        closes.removeIf(close -> {
            Integer at = index.get(close.update().uid());
            if (at == null) {
                return false;
            }
            opened.set(at, opened.get(at).closedWith(close.update()));
            return true;
        });
    }

    /** Which of {@code ids} exist as a connection or a statement. */
    static Set<UUID> existingParents(Jdbi jdbi, Collection<UUID> ids) {
        return jdbi.withHandle(handle -> handle.createQuery(EXISTING_PARENTS)
                .bindArray("ids", UUID.class, ids)
                .mapTo(UUID.class)
                .set());
    }

    /** The name of the constraint a PostgreSQL error is about, or null. */
    static String constraint(Throwable error) {
        for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException each = sql; each != null; each = each.getNextException()) {
                    if (each instanceof PSQLException pg && pg.getServerErrorMessage() != null) {
                        return pg.getServerErrorMessage().getConstraint();
                    }
                }
            }
        }
        return null;
    }

    /** The SQLSTATE of the first SQLException in the cause chain (following next-exceptions), or null. */
    static String sqlState(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException each = sql; each != null; each = each.getNextException()) {
                    if (each.getSQLState() != null) {
                        return each.getSQLState();
                    }
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /**
     * A description of a store failure that is safe to log: the SQLSTATE and the server's primary message, never the
     * statement's arguments (SQL text, row values) that driver and Jdbi messages include.
     */
    static String describe(Throwable error) {
        for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException each = sql; each != null; each = each.getNextException()) {
                    if (each instanceof PSQLException pg && pg.getServerErrorMessage() != null) {
                        return "SQLSTATE " + pg.getSQLState() + ": " + pg.getServerErrorMessage().getMessage();
                    }
                }
                if (!(sql instanceof BatchUpdateException) && sql.getCause() == null) {
                    return sql.getClass().getSimpleName() + " (SQLSTATE " + sql.getSQLState() + "): "
                            + sql.getMessage();
                }
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof SQLException || root instanceof StatementException
                ? root.getClass().getSimpleName() + " (SQLSTATE " + sqlState(error) + ")"
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Whether the failure is about the data (retrying the same batch cannot succeed). */
    static boolean isPermanent(Throwable error) {
        String state = sqlState(error);
        return state != null && state.length() >= 2 && PERMANENT_CLASSES.contains(state.substring(0, 2));
    }
}
