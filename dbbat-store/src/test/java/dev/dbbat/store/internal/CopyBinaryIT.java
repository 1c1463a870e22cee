package dev.dbbat.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.store.testing.StoreFixture;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * {@link CopyBinary} against the real PostgreSQL: the bytes it renders for a value must be the bytes PostgreSQL's own
 * binary COPY produces for the same value (its send functions are the inverse of the receive functions the store
 * runs), and what it renders must load into a table and read back as the value.
 */
class CopyBinaryIT {

    /** PostgreSQL's binary COPY of one row of {@code select}, without the 19-byte header and the 2-byte trailer. */
    private static byte[] postgresRow(String select) throws Exception {
        try (Connection connection = StoreFixture.postgres().getPostgresDatabase().getConnection()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + select + ") TO STDOUT (FORMAT binary)", out);
            byte[] all = out.toByteArray();
            return Arrays.copyOfRange(all, 19, all.length - 2);
        }
    }

    private static byte[] ours(int fields, Consumer<CopyBinary> values) {
        CopyBinary buffer = new CopyBinary(1); // tiny on purpose: every write must grow the buffer when needed
        buffer.row(fields);
        values.accept(buffer);
        return Arrays.copyOf(buffer.array(), buffer.size());
    }

    private static void assertSame(String select, int fields, Consumer<CopyBinary> values) throws Exception {
        assertThat(ours(fields, values)).as(select).isEqualTo(postgresRow(select));
    }

    @Test
    void headerAndTrailerAreWhatPostgresWrites() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection connection = StoreFixture.postgres().getPostgresDatabase().getConnection()) {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (SELECT 1 WHERE false) TO STDOUT (FORMAT binary)", out);
        }
        CopyBinary buffer = new CopyBinary(1).header().trailer();
        assertThat(Arrays.copyOf(buffer.array(), buffer.size())).isEqualTo(out.toByteArray());
    }

    @Test
    void uuidsIntegersBooleansAndNullsMatchPostgres() throws Exception {
        UUID uid = UUID.fromString("01937a5e-8f3b-7c21-9a4d-00ff10e2b3c4");
        UUID high = UUID.fromString("ffffffff-ffff-ffff-ffff-fffffffffffe");
        assertSame("SELECT '" + uid + "'::uuid, '" + high + "'::uuid, 0::int8, (-42)::int8, " + Long.MAX_VALUE
                + "::int8, (" + Long.MIN_VALUE + ")::int8, true, false, NULL::text, NULL::uuid", 10,
                out -> out.uuid(uid).uuid(high).int8(0).int8(-42).int8(Long.MAX_VALUE).int8(Long.MIN_VALUE)
                        .bool(true).bool(false).text(null).uuid(null));
    }

    @Test
    void textIsUtf8AndJsonIsItsText() throws Exception {
        String text = "SELECT 'é € 😀 日本' AS \"x\"\t-- tab, newline\n, backslash \\ and quote '";
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("values", Arrays.asList("1", null, "é\"\\\n😀", "x".repeat(300)));
        parameters.put("format_codes", List.of(0, 1));
        parameters.put("flag", true);
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        parameters.put("controls \u001f\"", List.of(controls.toString(), Long.MIN_VALUE, -7, (short) 3, (byte) -1,
                false, Map.of("nested", List.of()), "\uD83D"));
        parameters.put("other", new BigDecimal("1.50"));
        StringBuilder json = new StringBuilder();
        CopyText.writeJson(json, parameters);
        assertSame("SELECT " + literal(text) + "::text, " + literal(json.toString()) + "::json, ''::text", 3,
                out -> out.text(text).json(parameters).text(""));
        // an unpaired surrogate is written as '?', as String.getBytes(UTF_8) writes it
        assertSame("SELECT 'a?b?'::text", 1, out -> out.text("a\uD800b\uDC00"));
        // a run of ASCII, then other characters, then ASCII again (the ASCII run is copied in one loop)
        assertSame("SELECT 'é first, then ascii' || repeat('z', 500)::text, 'ascii, then é'::text", 2,
                out -> out.text("é first, then ascii" + "z".repeat(500)).text("ascii, then é"));
    }

    @Test
    void timestampsAreMicrosecondsSinceTheYear2000RoundedHalfUp() throws Exception {
        List<String> instants = List.of("2000-01-01T00:00:00Z", "1999-12-31T23:59:59.999999Z",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "2026-03-29T00:59:59.999999Z",
                "2026-03-29T01:00:00Z", "2026-10-25T00:30:00.000001Z", "2026-11-25T08:00:00.123456Z",
                "9999-12-31T23:59:59.999999Z", "1900-06-15T12:34:56.000789Z");
        for (String each : instants) {
            Instant instant = Instant.parse(each);
            assertSame("SELECT '" + each + "'::timestamptz", 1, out -> out.timestamptz(instant));
        }
        // nanoseconds round half up to the microsecond, like the text path and the JDBC driver
        assertSame("SELECT '2026-11-25T08:00:00.123457Z'::timestamptz", 1,
                out -> out.timestamptz(Instant.parse("2026-11-25T08:00:00.123456500Z")));
        assertSame("SELECT '2026-11-25T08:00:00.123456Z'::timestamptz", 1,
                out -> out.timestamptz(Instant.parse("2026-11-25T08:00:00.123456499Z")));
        assertSame("SELECT '2026-11-25T08:00:01Z'::timestamptz", 1,
                out -> out.timestamptz(Instant.parse("2026-11-25T08:00:00.999999500Z")));
        assertSame("SELECT '1969-12-31T23:59:59.000001Z'::timestamptz", 1,
                out -> out.timestamptz(Instant.parse("1969-12-31T23:59:59.000000500Z")));
    }

    @Test
    void numericsAreBase10000DigitsWithWeightSignAndScale() throws Exception {
        for (String each : List.of("0", "0.000", "0.031", "1.250", "-0.500", "12.345", "999999999.999",
                "-999999999.999", "7", "10000", "100000000", "1.5E+3", "-2E+5", "123456789012.123", "0.0000000001",
                "-0.0001", "12345678901234567890.123456789", "1E+20", "5000.0001", "0.10", "31.4159")) {
            BigDecimal value = new BigDecimal(each);
            assertSame("SELECT '" + value.toPlainString() + "'::numeric", 1, out -> out.numeric(value));
        }
        assertSame("SELECT NULL::numeric", 1, out -> out.numeric(null));
    }

    @Test
    void aLargeRowGrowsTheBufferAndResetKeepsItsCapacity() {
        CopyBinary buffer = new CopyBinary(64);
        String big = "é".repeat(100_000);
        buffer.header().row(1).text(big);
        assertThat(buffer.size()).isEqualTo(19 + 2 + 4 + 200_000);
        int capacity = buffer.capacity();
        assertThat(buffer.reset().size()).isZero();
        assertThat(buffer.capacity()).isEqualTo(capacity);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
