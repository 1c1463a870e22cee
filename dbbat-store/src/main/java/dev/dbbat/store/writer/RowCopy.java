package dev.dbbat.store.writer;

import dev.dbbat.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * Inserts captured rows with {@code COPY query_rows FROM STDIN} (text format), generating the COPY text row by row
 * while the driver sends it: each row's JSON is written into one reused buffer and encoded to UTF-8 into the driver's
 * 64 KiB send buffer, so the writer holds no JSON string per row and no text for the whole batch. Writer thread only.
 */
final class RowCopy extends InputStream {
    static final String COPY_ROWS =
            "COPY query_rows (uid, query_id, row_number, row_data, row_size_bytes) FROM STDIN";
    /** A line buffer grown past this by a huge row is dropped afterwards rather than kept for the next batch. */
    private static final int KEEP_LINE_CHARS = 1 << 20;

    private final List<WriterEvent.Row> rows;
    private final RowJson json = new RowJson();
    private StringBuilder line = new StringBuilder(4096);
    private int next;
    /** Position in {@link #line}, and the JSON part of it (COPY-escaped while encoded). */
    private int at;
    private int jsonStart;
    private int jsonEnd;
    /** UTF-8 bytes of one character that did not fit the caller's buffer. */
    private final byte[] spill = new byte[4];
    private int spillAt;
    private int spillEnd;

    RowCopy(List<WriterEvent.Row> rows) {
        this.rows = rows;
    }

    /** Copies {@code rows} on {@code handle}'s connection (inside its transaction). */
    static void copy(Handle handle, List<WriterEvent.Row> rows) {
        try {
            handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_ROWS, new RowCopy(rows),
                    65536);
        } catch (SQLException ex) {
            throw new StoreException("copying " + rows.size() + " captured rows failed", ex);
        } catch (IOException ex) {
            throw new StoreException("copying " + rows.size() + " captured rows failed",
                    new SQLException(ex.getMessage(), "08006", ex));
        }
    }

    /** The COPY text of {@code rows}, for tests. */
    static String text(List<WriterEvent.Row> rows) throws IOException {
        return new String(new RowCopy(rows).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private boolean nextLine() {
        if (next == rows.size()) {
            return false;
        }
        WriterEvent.Row row = rows.get(next++);
        if (line.capacity() > KEEP_LINE_CHARS) {
            line = new StringBuilder(4096);
        }
        line.setLength(0);
        uuid(line, row.id());
        uuid(line.append('\t'), row.queryId());
        line.append('\t').append(row.rowNumber()).append('\t');
        jsonStart = line.length();
        row.appendJson(json, line);
        jsonEnd = line.length();
        line.append('\t').append(row.sizeBytes()).append('\n');
        at = 0;
        return true;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The canonical text of a UUID, without the two strings {@code UUID.toString()} allocates. */
    static void uuid(StringBuilder out, java.util.UUID value) {
        long high = value.getMostSignificantBits();
        long low = value.getLeastSignificantBits();
        hex(out, high >>> 32, 8);
        hex(out.append('-'), high >>> 16, 4);
        hex(out.append('-'), high, 4);
        hex(out.append('-'), low >>> 48, 4);
        hex(out.append('-'), low, 12);
    }

    private static void hex(StringBuilder out, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(int) (value >>> shift) & 0xF]);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] out, int offset, int length) {
        int end = offset + length;
        int pos = offset;
        while (pos < end) {
            if (spillAt < spillEnd) {
                out[pos++] = spill[spillAt++];
                continue;
            }
            if (at == line.length() && !nextLine()) {
                break;
            }
            char c = line.charAt(at);
            if (c < 0x80) {
                if (at >= jsonStart && at < jsonEnd && (c == '\\' || c == '\n' || c == '\r' || c == '\t')) {
                    // COPY text format: backslash escapes (JSON text has no raw control characters, but a stored
                    // record's JSON may be pretty-printed)
                    spill[0] = '\\';
                    spill[1] = (byte) (c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
                    spillAt = 0;
                    spillEnd = 2;
                    at++;
                    continue;
                }
                out[pos++] = (byte) c;
                at++;
                continue;
            }
            spillAt = 0;
            spillEnd = encode(c);
        }
        return pos == offset && length > 0 ? -1 : pos - offset;
    }

    /** UTF-8 of the non-ASCII character at {@link #at} into {@link #spill}; a lone surrogate becomes '?'. */
    private int encode(char c) {
        at++;
        if (c < 0x800) {
            spill[0] = (byte) (0xC0 | (c >> 6));
            spill[1] = (byte) (0x80 | (c & 0x3F));
            return 2;
        }
        if (Character.isHighSurrogate(c) && at < line.length() && Character.isLowSurrogate(line.charAt(at))) {
            int code = Character.toCodePoint(c, line.charAt(at++));
            spill[0] = (byte) (0xF0 | (code >> 18));
            spill[1] = (byte) (0x80 | ((code >> 12) & 0x3F));
            spill[2] = (byte) (0x80 | ((code >> 6) & 0x3F));
            spill[3] = (byte) (0x80 | (code & 0x3F));
            return 4;
        }
        if (Character.isSurrogate(c)) {
            spill[0] = '?';
            return 1;
        }
        spill[0] = (byte) (0xE0 | (c >> 12));
        spill[1] = (byte) (0x80 | ((c >> 6) & 0x3F));
        spill[2] = (byte) (0x80 | (c & 0x3F));
        return 3;
    }
}
