package dev.dbbat.store.writer;

import dev.dbbat.core.event.ResultRow;
import dev.dbbat.store.ConnectionRecord;
import dev.dbbat.store.ConnectionRepository.CloseUpdate;
import dev.dbbat.store.ConnectionRepository.StatsUpdate;
import dev.dbbat.store.QueryRecord;
import dev.dbbat.store.QueryRowRecord;
import java.util.UUID;

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

    record Completed(QueryRecord record) implements WriterEvent {
        public int phase() {
            return 2;
        }

        public UUID parentId() {
            return record.connectionId();
        }

        public UUID id() {
            return record.uid();
        }
    }

    /** A captured row; the JSON is built lazily on the writer thread and kept for retries. */
    final class Row implements WriterEvent {
        private final UUID uid;
        private final UUID queryId;
        private final int rowNumber;
        private final long sizeBytes;
        private final ResultRow source;
        private String json;

        Row(QueryRowRecord record) {
            this.uid = record.uid();
            this.queryId = record.queryId();
            this.rowNumber = record.rowNumber();
            this.sizeBytes = record.rowSizeBytes();
            this.source = null;
            this.json = record.rowData();
        }

        Row(UUID uid, UUID queryId, ResultRow source) {
            this.uid = uid;
            this.queryId = queryId;
            this.rowNumber = (int) Math.min(Integer.MAX_VALUE, source.rowNumber());
            this.sizeBytes = source.sizeBytes();
            this.source = source;
        }

        /** Queue accounting: the wire size, or the JSON length when built from a record. */
        long weight() {
            return source == null ? json.length() : Math.max(sizeBytes, 16);
        }

        /** Writer thread only. */
        QueryRowRecord record() {
            if (json == null) {
                json = RowJson.encode(source);
            }
            return new QueryRowRecord(uid, queryId, rowNumber, json, sizeBytes);
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
