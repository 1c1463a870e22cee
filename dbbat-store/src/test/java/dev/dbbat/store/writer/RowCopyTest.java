package dev.dbbat.store.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowCopyTest {

    @Test
    void writesUuidsInCanonicalForm() {
        for (UUID each : List.of(UUID.randomUUID(), new UUID(0, 0), new UUID(-1, -1), new UUID(0x0123456789abcdefL,
                0xfedcba9876543210L))) {
            StringBuilder out = new StringBuilder();
            RowCopy.uuid(out, each);
            assertThat(out.toString()).isEqualTo(each.toString());
        }
    }

    @Test
    void escapesTheJsonForCopyAndEncodesUtf8() throws Exception {
        UUID query = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        UUID uid = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        List<WriterEvent.Row> rows = new ArrayList<>();
        rows.add(new WriterEvent.Row(uid, query, new ResultRow(1, List.of("v"), List.of("a\tb\\c é\uD83D\uDE00"), 9)));
        rows.add(new WriterEvent.Row(new dev.dbbat.store.QueryRowRecord(uid, query, 2, "{\n \"k\": 1\n}", 3)));
        assertThat(RowCopy.text(rows)).isEqualTo(
                uid + "\t" + query + "\t1\t{\"v\":\"a\\\\tb\\\\\\\\c é\uD83D\uDE00\"}\t9\n"
                + uid + "\t" + query + "\t2\t{\\n \"k\": 1\\n}\t3\n");
    }

    @Test
    void readsIntoTinyBuffersWithoutSplittingCharacters() throws Exception {
        List<WriterEvent.Row> rows = List.of(new WriterEvent.Row(new UUID(0, 1), new UUID(0, 2),
                new ResultRow(1, List.of(), List.of("\\é\uD83D\uDE00✓"), 4)));
        String whole = RowCopy.text(rows);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        RowCopy copy = new RowCopy(rows);
        byte[] buffer = new byte[1];
        for (int n; (n = copy.read(buffer, 0, 1)) > 0; ) {
            out.write(buffer, 0, n);
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(whole);
    }
}
