package dev.dbbat.protocol.pg.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.event.QueryParameters;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.protocol.pg.message.Bind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionHelpersTest {

    @Test
    void forwardsOnlyHarmlessStartupParameters() {
        Map<String, String> client = Map.of("client_encoding", "UTF8", "DateStyle", "ISO", "role", "admin",
                "default_transaction_read_only", "off", "options", "-c search_path=x", "replication", "true");
        assertThat(StartupParameters.forwarded(client)).containsOnlyKeys("client_encoding", "DateStyle", "options");
        assertThat(StartupParameters.optionsAreSafe("-c default_transaction_read_only=off")).isFalse();
        assertThat(StartupParameters.optionsAreSafe("-crole=admin")).isFalse();
        assertThat(StartupParameters.optionsAreSafe("--search-path=a -c statement_timeout=5")).isTrue();
    }

    @Test
    void tagsApplicationNameWithin63Bytes() {
        assertThat(StartupParameters.applicationName("1.0", "alice", "psql")).isEqualTo("dbbat/1.0 @alice for psql");
        assertThat(StartupParameters.applicationName("1.0", "alice", null)).isEqualTo("dbbat/1.0 @alice");
        String long_ = StartupParameters.applicationName("1.0", "alice", "é".repeat(60));
        assertThat(long_.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(long_).endsWith("é");
    }

    @Test
    void decodesTextValuesByType() {
        assertThat(PgValues.text(PgValues.NUMERIC, bytes("12345678901234567890.12"), StandardCharsets.UTF_8))
                .isEqualTo(new BigDecimal("12345678901234567890.12"));
        assertThat(PgValues.text(PgValues.BOOL, bytes("t"), StandardCharsets.UTF_8)).isEqualTo(true);
        assertThat(PgValues.text(PgValues.INT8, bytes("-5"), StandardCharsets.UTF_8)).isEqualTo(-5L);
        assertThat(PgValues.text(PgValues.JSONB, bytes("{\"a\": 1}"), StandardCharsets.UTF_8))
                .isEqualTo(new ResultRow.JsonText("{\"a\": 1}"));
        assertThat(PgValues.text(PgValues.NUMERIC, bytes("NaN"), StandardCharsets.UTF_8)).isEqualTo("NaN");
    }

    @Test
    void decodesBinaryValuesByType() {
        assertThat(PgValues.binary(PgValues.INT4, new byte[] {0, 0, 1, 0}, StandardCharsets.UTF_8)).isEqualTo(256L);
        assertThat(PgValues.binary(PgValues.FLOAT8, java.nio.ByteBuffer.allocate(8).putDouble(1.5).array(),
                StandardCharsets.UTF_8)).isEqualTo(1.5);
        assertThat(PgValues.binary(PgValues.JSONB, new byte[] {1, '[', ']'}, StandardCharsets.UTF_8))
                .isEqualTo(new ResultRow.JsonText("[]"));
    }

    @Test
    void rendersBindParameters() {
        Bind bind = new Bind("", "", new short[] {0, 1, 1}, new byte[][] {bytes("abc"), {0, 0, 0, 7}, null},
                new short[0]);
        QueryParameters parameters = PgValues.parameters(bind, new long[] {25, 23, 17}, StandardCharsets.UTF_8);
        assertThat(parameters.values()).containsExactly("abc", "7", null);
        assertThat(parameters.formatCodes()).containsExactly(0, 1, 1);
        assertThat(parameters.typeOids()).containsExactly(25L, 23L, 17L);
    }

    @Test
    void splitsCopyTextAndCsvAcrossChunks() {
        CopyCapture text = new CopyCapture(false);
        assertThat(text.add("1\ta\\tb\n2\t\\")).containsExactly(Arrays.asList("1", "a\tb"));
        assertThat(text.add("N\n")).containsExactly(Arrays.asList("2", null));
        CopyCapture csv = new CopyCapture(true);
        assertThat(csv.add("1,\"x,\ny\"\n2,\n")).containsExactly(Arrays.asList("1", "x,\ny"),
                Arrays.asList("2", null));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
