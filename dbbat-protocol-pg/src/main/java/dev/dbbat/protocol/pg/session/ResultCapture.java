package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.message.RowDescription;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Decodes result rows (DataRow, COPY OUT text/CSV) for {@code onResultRow} within the capture limits: the first
 * {@code maxResultRows} rows and {@code maxResultBytes} bytes are kept, later rows flag the outcome truncated.
 * Single-threaded.
 */
final class ResultCapture {
    private final PgSession session;
    private final PgProxyConfig config;

    ResultCapture(PgSession session) {
        this.session = session;
        this.config = session.context.config;
    }

    void dataRow(Execution execution, ByteBuf body) {
        if (!config.captureResults() || execution.truncated) {
            return;
        }
        int count = body.getUnsignedShort(body.readerIndex());
        List<byte[]> raw = new ArrayList<>(count);
        int at = body.readerIndex() + 2;
        long size = 0;
        for (int i = 0; i < count; i++) {
            int length = body.getInt(at);
            at += 4;
            if (length < 0) {
                raw.add(null);
                continue;
            }
            byte[] value = new byte[length];
            body.getBytes(at, value);
            at += length;
            size += length;
            raw.add(value);
        }
        if (!withinLimits(execution, size)) {
            return;
        }
        List<RowDescription.Column> columns = execution.columns();
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] value = raw.get(i);
            RowDescription.Column column = i < columns.size() ? columns.get(i) : null;
            values.add(value == null ? null : decode(column, value));
        }
        deliver(execution, names(columns, count), values, size);
    }

    private Object decode(RowDescription.Column column, byte[] value) {
        if (column == null) {
            return new String(value, session.charset);
        }
        return column.format() == 1 ? PgValues.binary(column.typeOid(), value, session.charset)
                : PgValues.text(column.typeOid(), value, session.charset);
    }

    private static List<String> names(List<RowDescription.Column> columns, int count) {
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(i < columns.size() ? columns.get(i).name() : "col_" + (i + 1));
        }
        return result;
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
        List<String> columnNames = null;
        for (List<String> fields : copy.add(body.toString(session.charset))) {
            long size = fields.stream().mapToLong(each -> each == null ? 0 : each.length()).sum();
            if (!withinLimits(execution, size)) {
                return;
            }
            if (columnNames == null) {
                columnNames = copyNames(execution, fields.size());
            }
            deliver(execution, columnNames, new ArrayList<>(fields), size);
        }
    }

    private List<String> copyNames(Execution execution, int count) {
        List<String> declared = session.context.guard.copyColumns(execution.event.sql());
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(i < declared.size() ? declared.get(i) : "col_" + (i + 1));
        }
        return result;
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
        ResultRow row = new ResultRow(execution.rowNumber, names, Collections.unmodifiableList(values), size);
        session.context.interceptor.onResultRow(session.info, execution.event, row);
    }
}
