package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.message.RowDescription;
import io.netty.buffer.ByteBuf;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * Decodes result rows (DataRow, COPY OUT text/CSV) for {@code onResultRow} within the capture limits: the first
 * {@code maxResultRows} rows and {@code maxResultBytes} bytes are kept, later rows flag the outcome truncated.
 *
 * <p>Per row it allocates the decoded values (read straight from the frame, no intermediate copy), one small
 * immutable list and the {@link ResultRow}; the column names are built once per statement. The limits are checked
 * before anything is decoded. {@link #takeDelivered()} tells the session that rows went to the interceptors since it
 * last asked, so that it asks for row back-pressure before reading the upstream again. Single-threaded.
 */
final class ResultCapture {
    private final PgSession session;
    private final PgProxyConfig config;
    private boolean delivered;

    ResultCapture(PgSession session) {
        this.session = session;
        this.config = session.context.config;
    }

    /** Whether rows were delivered since the last call. */
    boolean takeDelivered() {
        boolean result = delivered;
        delivered = false;
        return result;
    }

    void dataRow(Execution execution, ByteBuf body) {
        if (!config.captureResults() || execution.truncated) {
            return;
        }
        int start = body.readerIndex();
        int end = body.writerIndex();
        int count = body.getUnsignedShort(start);
        int at = start + 2;
        long size = 0;
        for (int i = 0; i < count; i++) {
            int length = body.getInt(at);
            at += 4;
            if (length > 0) {
                if (length > end - at) {
                    throw new IndexOutOfBoundsException("DataRow value " + i + " overruns its frame");
                }
                at += length;
                size += length;
            }
        }
        if (!withinLimits(execution, size)) {
            return;
        }
        List<RowDescription.Column> columns = execution.columns();
        Object[] values = new Object[count];
        at = start + 2;
        for (int i = 0; i < count; i++) {
            int length = body.getInt(at);
            at += 4;
            if (length < 0) {
                continue;
            }
            values[i] = decode(i < columns.size() ? columns.get(i) : null, body, at, length);
            at += length;
        }
        deliver(execution, execution.columnNames(count), new Values(values), size);
    }

    private Object decode(RowDescription.Column column, ByteBuf body, int index, int length) {
        if (column == null) {
            return body.toString(index, length, session.charset);
        }
        return column.format() == 1 ? PgValues.binary(column.typeOid(), body, index, length, session.charset)
                : PgValues.text(column.typeOid(), body, index, length, session.charset);
    }

    void copyStarted(Execution execution, boolean in, int format) {
        String sql = execution.event.sql();
        Optional<CopyInfo> fromSql = session.context.guard.copyInfo(sql);
        String formatName = format == 1 ? "binary" : fromSql.map(CopyInfo::format).orElse("text");
        execution.copy = Optional.of(new CopyInfo(in ? "in" : "out", formatName));
        if (!in && !formatName.equals("binary")) {
            execution.copyCapture = new CopyCapture(formatName.equals("csv"));
        }
    }

    void copyData(Execution execution, ByteBuf body) {
        CopyCapture copy = execution.copyCapture;
        if (copy == null || !config.captureResults() || execution.truncated) {
            return;
        }
        if (copy.pendingLength() > config.maxResultBytes()) {
            execution.truncated = true;
            return;
        }
        for (List<String> fields : copy.add(body.toString(session.charset))) {
            long size = 0;
            for (String each : fields) {
                size += each == null ? 0 : each.length();
            }
            if (!withinLimits(execution, size)) {
                return;
            }
            if (execution.names == null) {
                execution.names = copyNames(execution, fields.size());
            }
            deliver(execution, execution.names, new Values(fields.toArray()), size);
        }
    }

    private List<String> copyNames(Execution execution, int count) {
        List<String> declared = session.context.guard.copyColumns(execution.event.sql());
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(i < declared.size() ? declared.get(i) : "col_" + (i + 1));
        }
        return List.copyOf(result);
    }

    private boolean withinLimits(Execution execution, long size) {
        if (execution.rowNumber >= config.maxResultRows()
                || execution.capturedBytes + size > config.maxResultBytes()) {
            execution.truncated = true;
            return false;
        }
        return true;
    }

    private void deliver(Execution execution, List<String> names, List<Object> values, long size) {
        execution.rowNumber++;
        execution.capturedBytes += size;
        delivered = true;
        ResultRow row = new ResultRow(execution.rowNumber, names, values, size);
        session.context.interceptor.onResultRow(session.info, execution.event, row);
    }

    /** The values of one row: immutable, nulls allowed, one object over the array. */
    static final class Values extends AbstractList<Object> implements RandomAccess {
        private final Object[] values;

        Values(Object[] values) {
            this.values = values;
        }

        @Override
        public Object get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
