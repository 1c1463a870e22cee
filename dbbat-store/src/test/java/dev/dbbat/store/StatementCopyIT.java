package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.UuidV7;
import dev.dbbat.store.internal.CopyBinary;
import dev.dbbat.store.testing.Seed;
import dev.dbbat.store.testing.StoreFixture;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writer's COPY of statement records ({@link QueryRepository#copyCompleted}) stores exactly what the one-by-one
 * upsert ({@link QueryRepository#upsertCompleted}, the JDBC driver binding each value) stores for the same records:
 * every column compared as PostgreSQL renders it, and as the API reads it back.
 */
class StatementCopyIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private static Jdbi jdbi;
    private static UUID connectionId;

    @BeforeAll
    static void setUp() {
        jdbi = STORE.store().jdbi();
        UUID user = Seed.user(jdbi, "copy");
        UUID database = Seed.database(jdbi, "copy");
        connectionId = UuidV7.next();
        jdbi.useTransaction(handle -> ConnectionRepository.insertAll(handle, List.of(ConnectionRecord.opened(
                connectionId, user, database, Optional.empty(), "postgresql", "127.0.0.1", Instant.now()))));
    }

    private static QueryRecord record(String sql, Map<String, Object> parameters, String executedAt, String duration,
            Long rowsAffected, String error, String sqlState, boolean refused, long bytes, String copyFormat,
            String copyDirection, boolean truncated) {
        return new QueryRecord(UuidV7.next(), connectionId, sql, Optional.ofNullable(parameters),
                Instant.parse(executedAt), Optional.ofNullable(duration).map(BigDecimal::new),
                Optional.ofNullable(rowsAffected), Optional.ofNullable(error), Optional.ofNullable(sqlState), refused,
                bytes, Optional.ofNullable(copyFormat), Optional.ofNullable(copyDirection), truncated);
    }

    private static List<QueryRecord> tricky() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("values", Arrays.asList("42", null, "é\t\"q\"\\\n😀 日本", ""));
        parameters.put("raw", List.of("AAEC"));
        parameters.put("format_codes", List.of(0, 1));
        parameters.put("type_oids", List.of(23, 25));
        List<QueryRecord> result = new ArrayList<>();
        result.add(record("SELECT abalance FROM pgbench_accounts WHERE aid = $1;", Map.of("values", List.of("7")),
                "2026-11-25T08:00:00.123456Z", "0.031", 1L, null, null, false, 120, null, null, false));
        result.add(record("SELECT 1", null, "2026-11-25T08:00:00Z", null, null, null, null, false, 0, null, null,
                false));
        result.add(record("SELECT 'é € 😀 日本', E'\\t' -- tab\there\nnew line \\ backslash\u0000nul", parameters,
                "2026-03-29T00:59:59.999999Z", "999999999.999", Long.MAX_VALUE, "ERREUR: relation « x » n'existe pas",
                "42P01", true, Long.MAX_VALUE, null, null, true));
        result.add(record("COPY t FROM STDIN", Map.of(), "2026-03-29T01:00:00.000001Z", "0.000", 0L, null, null,
                false, 0, "binary", "in", false));
        result.add(record("COPY t TO STDOUT CSV", null, "2026-10-25T00:59:59.9999995Z", "-0.500", -1L, "",
                "", false, -5, "csv", "out", false));
        result.add(record("x", null, "1999-12-31T23:59:59.999999Z", "123.4564", Long.MIN_VALUE, "e\u0000rr", "57014",
                true, 1, "text", "in", true));
        result.add(record("y", null, "1969-07-20T20:17:40.0000004Z", "0.0000000001", 10_000L, null, null, false, 2,
                null, "out", false));
        result.add(record("z", null, "2026-11-25T08:00:00.000000499Z", "-999999999.999", null, null, null, false, 3,
                null, null, true));
        result.add(record("w", null, "2026-11-25T08:00:00.5Z", "10000", 99L, null, null, false, 4, null, null,
                false));
        result.add(record("v", null, "2026-11-25T08:00:00.5Z", "1.5E+3", 98L, null, null, false, 5, null, null,
                false));
        result.add(record("u".repeat(100_000), null, "2026-11-25T08:00:00.25Z", "12.3456789", 97L, null, null,
                false, 6, null, null, false));
        return result;
    }

    private static QueryRecord withUid(QueryRecord record, UUID uid) {
        return new QueryRecord(uid, record.connectionId(), record.sqlText(), record.parameters(),
                record.executedAt(), record.durationMs(), record.rowsAffected(), record.error(), record.sqlState(),
                record.refused(), record.bytesTransferred(), record.copyFormat(), record.copyDirection(),
                record.resultsTruncated());
    }

    /** Every column but uid, as PostgreSQL renders it in UTC. */
    private static String stored(UUID uid) {
        return jdbi.withHandle(handle -> {
            handle.execute("SET TIME ZONE 'UTC'");
            return handle.createQuery("SELECT concat_ws('|', connection_id, sql_text, parameters::text, executed_at,"
                            + " duration_ms, rows_affected, error, sql_state, refused, bytes_transferred, copy_format,"
                            + " copy_direction, results_truncated, parameters IS NULL, duration_ms IS NULL,"
                            + " rows_affected IS NULL, error IS NULL, sql_state IS NULL, copy_format IS NULL,"
                            + " copy_direction IS NULL) FROM queries WHERE uid = :uid")
                    .bind("uid", uid).mapTo(String.class).one();
        });
    }

    @Test
    void copyStoresWhatTheUpsertStores() {
        List<QueryRecord> copied = tricky();
        List<QueryRecord> upserted = new ArrayList<>();
        copied.forEach(each -> upserted.add(withUid(each, UuidV7.next())));
        // a tiny buffer: rows are sent in pieces that do not line up with them
        jdbi.useTransaction(handle -> QueryRepository.copyCompleted(handle, copied, new CopyBinary(16)));
        jdbi.useTransaction(handle -> QueryRepository.upsertCompleted(handle, upserted));
        QueryRepository repository = new QueryRepository(jdbi);
        for (int i = 0; i < copied.size(); i++) {
            QueryRecord viaCopy = copied.get(i);
            QueryRecord viaUpsert = upserted.get(i);
            assertThat(stored(viaCopy.uid())).as("record %d", i).isEqualTo(stored(viaUpsert.uid()));
            QueryRecord read = repository.get(viaCopy.uid()).orElseThrow();
            assertThat(withUid(read, viaUpsert.uid())).as("record %d", i)
                    .isEqualTo(repository.get(viaUpsert.uid()).orElseThrow());
        }
        // and what was stored is the record, cleaned (NUL) and rounded (microseconds, numeric(12,3))
        QueryRecord first = repository.get(copied.get(0).uid()).orElseThrow();
        assertThat(first).isEqualTo(copied.get(0));
        QueryRecord third = repository.get(copied.get(2).uid()).orElseThrow();
        assertThat(third.sqlText()).isEqualTo(copied.get(2).sqlText().replace('\u0000', '\uFFFD'));
        assertThat(third.parameters()).isEqualTo(copied.get(2).parameters());
        assertThat(repository.get(copied.get(4).uid()).orElseThrow().executedAt())
                .isEqualTo(Instant.parse("2026-10-25T01:00:00Z"));
        assertThat(repository.get(copied.get(5).uid()).orElseThrow().durationMs()).contains(new BigDecimal("123.456"));
        assertThat(repository.get(copied.get(6).uid()).orElseThrow().durationMs()).contains(new BigDecimal("0.000"));
        assertThat(repository.get(copied.get(9).uid()).orElseThrow().durationMs())
                .contains(new BigDecimal("1500.000"));
    }

    @Test
    void aDuplicateFailsTheWholeCopyAndTheBufferIsReusable() {
        QueryRecord one = tricky().get(0);
        CopyBinary buffer = new CopyBinary(64);
        jdbi.useTransaction(handle -> QueryRepository.copyCompleted(handle, List.of(one), buffer));
        QueryRecord other = tricky().get(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbi.useTransaction(
                handle -> QueryRepository.copyCompleted(handle, List.of(other, one), buffer)))
                .isInstanceOf(StoreException.class);
        assertThat(new QueryRepository(jdbi).get(other.uid())).isEmpty();
        jdbi.useTransaction(handle -> QueryRepository.copyCompleted(handle, List.of(other), buffer));
        assertThat(new QueryRepository(jdbi).get(other.uid())).contains(other);
    }
}
