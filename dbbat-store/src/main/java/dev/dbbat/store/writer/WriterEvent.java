package dev.dbbat.store.writer;

import dev.dbbat.core.event.ResultRow;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.ConnectionRepository.CloseUpdate;
import dev.dbbat.store.ConnectionRepository.StatsUpdate;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.QueryRowRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** One unit of work queued in the {@link AsyncEventWriter}. Written in phase order within a transaction. */
sealed interface WriterEvent {

    /** Write order inside one batch: parents before children, updates last. */
    int phase();

    /** The id of the record, for logs. */
    UUID id();

    /** The id of the row this event needs to exist ({@code null} for a new connection). */
    UUID parentId();

    /** Whether this event is a captured row (droppable) rather than a session/statement record (never dropped). */
    default boolean isRow() {
        return false;
    }

    record Opened(ConnectionRecord record) implements WriterEvent {
        public int phase() {
            return 0;
        }

        public UUID parentId() {
            return null;
        }

        public UUID id() {
            return record.uid();
        }
    }

    record Started(QueryRecord record) implements WriterEvent {
        public int phase() {
            return 1;
        }

        public UUID parentId() {
            return record.connectionId();
        }

        public UUID id() {
            return record.uid();
        }
    }

    /**
     * A finished statement. Its record may be built by the writer thread ({@link #record()}), so that the event loop
     * that reports the statement only queues what it already has.
     */
    final class Completed implements WriterEvent {
        private final UUID uid;
        private final UUID connectionId;
        private Supplier<QueryRecord> build;
        private QueryRecord record;

        Completed(QueryRecord record) {
            this.uid = record.uid();
            this.connectionId = record.connectionId();
            this.record = record;
        }

        Completed(UUID uid, UUID connectionId, Supplier<QueryRecord> build) {
            this.uid = Objects.requireNonNull(uid, "uid");
            this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
            this.build = Objects.requireNonNull(build, "build");
        }

        /**
         * The record, built on first call. Writer thread only. A builder that fails (a bug) does not lose the
         * statement: it is recorded with its id, session and an error saying so.
         */
        QueryRecord record() {
            if (record == null) {
                try {
                    record = Objects.requireNonNull(build.get(), "built record");
                } catch (RuntimeException ex) {
                    record = new QueryRecord(uid, connectionId, "", Optional.empty(), Instant.now(), Optional.empty(),
                            Optional.empty(), Optional.of("statement record could not be built: "
                                    + ex.getClass().getSimpleName()), Optional.empty(), false, 0, Optional.empty(),
                            Optional.empty(), false);
                }
                build = null;
            }
            return record;
        }

        @Override
        public int phase() {
            return 2;
        }

        @Override
        public UUID parentId() {
            return connectionId;
        }

        @Override
        public UUID id() {
            return uid;
        }
    }

    /**
     * A captured row. Its JSON is written on the writer thread straight into the COPY that stores it (see
     * {@link RowCopy}); {@link #weight()} estimates what the row holds on the heap while it waits.
     */
    final class Row implements WriterEvent {
        /** Per queued row: this event, its UUID, the queue node, the {@link ResultRow} and its value list. */
        static final long ROW_OVERHEAD = 192;

        private final UUID uid;
        private final UUID queryId;
        private final int rowNumber;
        private final long sizeBytes;
        private final ResultRow source;
        private final String json;
        private final long weight;

        Row(QueryRowRecord record) {
            this.uid = record.uid();
            this.queryId = record.queryId();
            this.rowNumber = record.rowNumber();
            this.sizeBytes = record.rowSizeBytes();
            this.source = null;
            this.json = record.rowData();
            this.weight = ROW_OVERHEAD + stringWeight(json);
        }

        Row(UUID uid, UUID queryId, ResultRow source) {
            this.uid = uid;
            this.queryId = queryId;
            this.rowNumber = (int) Math.min(Integer.MAX_VALUE, source.rowNumber());
            this.sizeBytes = source.sizeBytes();
            this.source = source;
            this.json = null;
            this.weight = weigh(source);
        }

        /**
         * An upper estimate of the heap this row holds until it is written: fixed overhead, plus per value its
         * reference and object, strings at two bytes per character (a string holding any character above U+00FF is
         * UTF-16; Latin-1 strings take half). The JSON is streamed into the COPY through a bounded buffer, so it adds
         * nothing per queued row.
         */
        long weight() {
            return weight;
        }

        static long weigh(ResultRow row) {
            long total = ROW_OVERHEAD;
            List<Object> values = row.values();
            for (int i = 0, n = values.size(); i < n; i++) {
                total += 8 + valueWeight(values.get(i));
            }
            return total;
        }

        private static long valueWeight(Object value) {
            if (value == null) {
                return 0;
            } else if (value instanceof String text) {
                return stringWeight(text);
            } else if (value instanceof byte[] bytes) {
                return 16 + bytes.length;
            } else if (value instanceof ResultRow.JsonText text) {
                return 16 + stringWeight(text.json());
            } else if (value instanceof Long || value instanceof Double || value instanceof Integer
                    || value instanceof Boolean || value instanceof Short || value instanceof Float) {
                return 24;
            }
            return 128; // BigDecimal (with its BigInteger and int[]) and anything else
        }

        /** A string: its object and array headers, two bytes per character at most. */
        static long stringWeight(String text) {
            return 56 + 2L * text.length();
        }

        /** For the one-event-at-a-time path: builds the whole record (JSON as a string). Writer thread only. */
        QueryRowRecord record() {
            return new QueryRowRecord(uid, queryId, rowNumber, json != null ? json : RowJson.encode(source),
                    sizeBytes);
        }

        /** Appends the row's JSON text. Writer thread only. */
        void appendJson(RowJson encoder, StringBuilder out) {
            if (json != null) {
                out.append(json);
            } else {
                encoder.append(out, source);
            }
        }

        UUID queryId() {
            return queryId;
        }

        int rowNumber() {
            return rowNumber;
        }

        long sizeBytes() {
            return sizeBytes;
        }

        @Override
        public int phase() {
            return 3;
        }

        @Override
        public UUID id() {
            return uid;
        }

        @Override
        public boolean isRow() {
            return true;
        }

        @Override
        public UUID parentId() {
            return queryId;
        }
    }

    record Stats(StatsUpdate update) implements WriterEvent {
        public int phase() {
            return 4;
        }

        public UUID parentId() {
            return update.uid();
        }

        public UUID id() {
            return update.uid();
        }
    }

    record Closed(CloseUpdate update) implements WriterEvent {
        public int phase() {
            return 5;
        }

        public UUID parentId() {
            return update.uid();
        }

        public UUID id() {
            return update.uid();
        }
    }
}
