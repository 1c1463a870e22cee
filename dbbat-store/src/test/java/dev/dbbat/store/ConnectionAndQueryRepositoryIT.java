package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.UuidV7;
import dev.dbbat.store.ConnectionRepository.CloseUpdate;
import dev.dbbat.store.ConnectionRepository.StatsUpdate;
import dev.dbbat.store.testing.Seed;
import dev.dbbat.store.testing.StoreFixture;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionAndQueryRepositoryIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private static Jdbi jdbi;
    private static ConnectionRepository connections;
    private static QueryRepository queries;
    private static UUID alice;
    private static UUID bob;
    private static UUID sales;
    private static UUID hr;

    @BeforeAll
    static void setUp() {
        jdbi = STORE.store().jdbi();
        connections = new ConnectionRepository(jdbi);
        queries = new QueryRepository(jdbi);
        alice = Seed.user(jdbi, "alice");
        bob = Seed.user(jdbi, "bob");
        sales = Seed.database(jdbi, "sales");
        hr = Seed.database(jdbi, "hr");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static ConnectionRecord open(UUID user, UUID database, Instant at) {
        ConnectionRecord result = ConnectionRecord.opened(UuidV7.next(), user, database, Optional.empty(),
                "postgresql", "10.1.2.3", at);
        jdbi.useTransaction(handle -> ConnectionRepository.insertAll(handle, List.of(result)));
        return result;
    }

    private static QueryRecord completed(UUID connection, String sql, Instant at) {
        QueryRecord result = new QueryRecord(UuidV7.next(), connection, sql, Optional.empty(), at,
                Optional.of(new BigDecimal("1.250")), Optional.of(1L), Optional.empty(), Optional.empty(), false, 10,
                Optional.empty(), Optional.empty(), false);
        jdbi.useTransaction(handle -> QueryRepository.upsertCompleted(handle, List.of(result)));
        return result;
    }

    private static void insertRows(UUID queryId, List<String> json) {
        List<QueryRowRecord> rows = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            rows.add(new QueryRowRecord(UuidV7.next(), queryId, i + 1, json.get(i), json.get(i).length()));
        }
        jdbi.useTransaction(handle -> QueryRepository.insertRows(handle, rows));
    }

    @Test
    void insertsAndReadsAConnection() {
        UUID grant = jdbi.withHandle(handle -> handle.createQuery("INSERT INTO access_grants (user_id, database_id,"
                        + " granted_by, starts_at, expires_at) VALUES (:u, :d, :u, now(), now() + interval '1 day')"
                        + " RETURNING uid")
                .bind("u", alice).bind("d", sales).mapTo(UUID.class).one());
        Instant at = Instant.parse("2026-03-01T10:00:00.123456Z");
        ConnectionRecord record = new ConnectionRecord(UuidV7.next(), alice, sales, Optional.of(grant), "mysql",
                "2001:db8::7", at, at, Optional.empty(), Optional.empty(), 0, 0);

        jdbi.useTransaction(handle -> ConnectionRepository.insertAll(handle, List.of(record, record)));

        assertThat(connections.get(record.uid())).contains(record);
    }

    @Test
    void raisesStatsButNeverLowersThem() {
        ConnectionRecord record = open(alice, sales, now());
        Instant later = record.connectedAt().plusSeconds(5);

        jdbi.useTransaction(handle -> ConnectionRepository.updateStats(handle,
                List.of(new StatsUpdate(record.uid(), 3, 300, later), new StatsUpdate(record.uid(), 2, 100, later))));

        ConnectionRecord read = connections.get(record.uid()).orElseThrow();
        assertThat(read.queries()).isEqualTo(3);
        assertThat(read.bytesTransferred()).isEqualTo(300);
        assertThat(read.lastActivityAt()).isEqualTo(later);
        assertThat(read.open()).isTrue();
    }

    @Test
    void closesOnlyOnceAndIgnoresLaterStats() {
        ConnectionRecord record = open(alice, sales, now());
        Instant first = record.connectedAt().plusSeconds(10);

        int[] counts = jdbi.inTransaction(handle -> ConnectionRepository.closeAll(handle, List.of(
                new CloseUpdate(record.uid(), first, "client_closed", 4, 400),
                new CloseUpdate(record.uid(), first.plusSeconds(5), "terminated: again", 4, 400))));
        jdbi.useTransaction(handle -> ConnectionRepository.updateStats(handle,
                List.of(new StatsUpdate(record.uid(), 9, 900, first.plusSeconds(9)))));

        assertThat(counts).containsExactly(1, 1);
        ConnectionRecord read = connections.get(record.uid()).orElseThrow();
        assertThat(read.disconnectedAt()).contains(first);
        assertThat(read.closeReason()).contains("client_closed");
        assertThat(read.queries()).isEqualTo(4);
        assertThat(read.bytesTransferred()).isEqualTo(400);
    }

    @Test
    void reportsZeroUpdatedRowsWhenClosingAnUnknownConnection() {
        int[] counts = jdbi.inTransaction(handle -> ConnectionRepository.closeAll(handle,
                List.of(new CloseUpdate(UuidV7.next(), now(), "x", 0, 0))));

        assertThat(counts).containsExactly(0);
    }

    @Test
    void listsConnectionsWithFiltersAndKeyset() {
        UUID carol = Seed.user(jdbi, "carol-list");
        List<ConnectionRecord> opened = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            opened.add(open(carol, i % 2 == 0 ? sales : hr, now()));
        }
        jdbi.useTransaction(handle -> ConnectionRepository.closeAll(handle,
                List.of(new CloseUpdate(opened.get(4).uid(), now(), "client_closed", 0, 0))));

        ConnectionFilter mine = ConnectionFilter.all().withUserId(carol);
        assertThat(connections.list(mine)).extracting(ConnectionRecord::uid)
                .containsExactly(opened.get(4).uid(), opened.get(3).uid(), opened.get(2).uid(), opened.get(1).uid(),
                        opened.get(0).uid());
        assertThat(connections.list(mine.withDatabaseId(hr))).extracting(ConnectionRecord::uid)
                .containsExactly(opened.get(3).uid(), opened.get(1).uid());
        assertThat(connections.list(mine.withLimit(2).withBefore(opened.get(3).uid())))
                .extracting(ConnectionRecord::uid).containsExactly(opened.get(2).uid(), opened.get(1).uid());
        assertThat(connections.list(mine.withLimit(2).withOffset(3))).extracting(ConnectionRecord::uid)
                .containsExactly(opened.get(1).uid(), opened.get(0).uid());
        assertThat(connections.list(mine.withOpenOnly(true))).hasSize(4);
        assertThat(connections.listOpen(1000)).extracting(ConnectionRecord::uid).contains(opened.get(0).uid())
                .doesNotContain(opened.get(4).uid());
    }

    @Test
    void deletingConnectionsOrStatementsStillDeletesWhatHangsOffThem() {
        ConnectionRecord gone = open(alice, sales, now());
        ConnectionRecord kept = open(alice, sales, now());
        QueryRecord goneQuery = completed(gone.uid(), "SELECT 'gone'", now());
        QueryRecord keptQuery = completed(kept.uid(), "SELECT 'kept'", now());
        QueryRecord deletedAlone = completed(kept.uid(), "SELECT 'deleted alone'", now());
        insertRows(goneQuery.uid(), List.of("{\"a\": 1}", "{\"a\": 2}"));
        insertRows(keptQuery.uid(), List.of("{\"a\": 3}"));
        insertRows(deletedAlone.uid(), List.of("{\"a\": 4}"));

        jdbi.useHandle(handle -> {
            handle.execute("DELETE FROM connections WHERE uid = ?", gone.uid());
            handle.execute("DELETE FROM queries WHERE uid = ?", deletedAlone.uid());
        });

        assertThat(queries.get(goneQuery.uid())).isEmpty();
        assertThat(queries.get(deletedAlone.uid())).isEmpty();
        assertThat(queries.get(keptQuery.uid())).isPresent();
        List<UUID> rowsLeft = jdbi.withHandle(handle -> handle.createQuery("SELECT query_id FROM query_rows"
                + " WHERE query_id IN (?, ?, ?)").bind(0, goneQuery.uid()).bind(1, keptQuery.uid())
                .bind(2, deletedAlone.uid()).mapTo(UUID.class).list());
        assertThat(rowsLeft).containsExactly(keptQuery.uid());
    }

    @Test
    void completesAStartedQueryKeepingTruncation() {
        ConnectionRecord connection = open(alice, sales, now());
        Instant at = Instant.parse("2026-03-01T10:00:00.000001Z");
        Map<String, Object> parameters = Map.of("values", List.of("1", "x"), "format_codes", List.of(0, 1));
        QueryRecord started = QueryRecord.started(UuidV7.next(), connection.uid(), "SELECT $1, $2",
                Optional.of(parameters), at);
        jdbi.useTransaction(handle -> {
            QueryRepository.insertStarted(handle, List.of(started));
            QueryRepository.markTruncated(handle, List.of(started.uid()));
        });
        QueryRecord done = new QueryRecord(started.uid(), connection.uid(), "SELECT $1, $2", Optional.of(parameters),
                at, Optional.of(new BigDecimal("12.345")), Optional.of(2L), Optional.of("boom"), Optional.of("XX000"),
                false, 1234, Optional.of("csv"), Optional.of("out"), false);

        jdbi.useTransaction(handle -> QueryRepository.upsertCompleted(handle, List.of(done)));

        assertThat(queries.get(started.uid())).contains(done.truncated());
    }

    @Test
    void listsQueriesByUserDatabaseTimeAndKeyset() {
        UUID dave = Seed.user(jdbi, "dave-queries");
        ConnectionRecord onSales = open(dave, sales, now());
        ConnectionRecord onHr = open(dave, hr, now());
        Instant base = Instant.parse("2031-01-01T00:00:00Z");
        List<QueryRecord> logged = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            logged.add(completed(i < 4 ? onSales.uid() : onHr.uid(), "SELECT " + i, base.plus(i, ChronoUnit.MINUTES)));
        }

        QueryFilter mine = QueryFilter.all().withUserId(dave);
        assertThat(queries.list(mine)).extracting(QueryRecord::sqlText)
                .containsExactly("SELECT 5", "SELECT 4", "SELECT 3", "SELECT 2", "SELECT 1", "SELECT 0");
        assertThat(queries.list(mine.withDatabaseId(hr))).extracting(QueryRecord::sqlText)
                .containsExactly("SELECT 5", "SELECT 4");
        assertThat(queries.list(QueryFilter.all().withConnectionId(onSales.uid()).withLimit(2)
                .withBefore(logged.get(2).uid()))).extracting(QueryRecord::sqlText)
                .containsExactly("SELECT 1", "SELECT 0");
        assertThat(queries.list(mine.withStartTime(base.plus(1, ChronoUnit.MINUTES))
                .withEndTime(base.plus(3, ChronoUnit.MINUTES)))).extracting(QueryRecord::sqlText)
                .containsExactly("SELECT 3", "SELECT 2", "SELECT 1");
        assertThat(queries.list(mine.withOffset(5))).extracting(QueryRecord::sqlText).containsExactly("SELECT 0");
    }

    @Test
    void pagesRowsByCount() {
        QueryRecord query = completed(open(alice, sales, now()).uid(), "SELECT n", now());
        List<String> json = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            json.add("{\"n\": " + i + "}");
        }
        insertRows(query.uid(), json);

        RowsPage first = queries.rows(query.uid(), 0, 3, QueryRepository.DEFAULT_PAGE_BYTES);
        RowsPage last = queries.rows(query.uid(), 6, 3, QueryRepository.DEFAULT_PAGE_BYTES);

        assertThat(first.rows()).extracting(QueryRowRecord::rowNumber).containsExactly(1, 2, 3);
        assertThat(first.rows().get(0).rowData()).isEqualTo("{\"n\": 1}");
        assertThat(first.hasMore()).isTrue();
        assertThat(first.nextOffset()).isEqualTo(3);
        assertThat(first.totalRows()).isEqualTo(7);
        assertThat(last.rows()).extracting(QueryRowRecord::rowNumber).containsExactly(7);
        assertThat(last.hasMore()).isFalse();
        assertThat(last.nextOffset()).isEqualTo(7);
    }

    @Test
    void pagesRowsByBytesButAlwaysReturnsOneRow() {
        QueryRecord query = completed(open(alice, sales, now()).uid(), "SELECT blob", now());
        String big = "[\"" + "x".repeat(96) + "\"]"; // 100 bytes of JSON text
        insertRows(query.uid(), List.of(big, big, big, big, big));

        RowsPage byBytes = queries.rows(query.uid(), 0, 100, 250);
        RowsPage tiny = queries.rows(query.uid(), 2, 100, 10);

        assertThat(byBytes.rows()).extracting(QueryRowRecord::rowNumber).containsExactly(1, 2);
        assertThat(byBytes.hasMore()).isTrue();
        assertThat(byBytes.nextOffset()).isEqualTo(2);
        assertThat(tiny.rows()).extracting(QueryRowRecord::rowNumber).containsExactly(3);
        assertThat(tiny.nextOffset()).isEqualTo(3);
    }

    @Test
    void returnsAnEmptyPageForAQueryWithoutRows() {
        RowsPage page = queries.rows(UuidV7.next(), 0, 10, QueryRepository.DEFAULT_PAGE_BYTES);

        assertThat(page.rows()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        assertThat(page.totalRows()).isZero();
    }

    @Test
    void computesUsageOverAWindow() {
        UUID erin = Seed.user(jdbi, "erin-usage");
        Instant from = Instant.parse("2032-01-01T00:00:00Z");
        Instant to = from.plus(1, ChronoUnit.DAYS);
        ConnectionRecord inside = open(erin, sales, from.plusSeconds(60));
        ConnectionRecord before = open(erin, sales, from.minusSeconds(60));
        ConnectionRecord otherDatabase = open(erin, hr, from.plusSeconds(60));
        jdbi.useTransaction(handle -> ConnectionRepository.closeAll(handle, List.of(
                new CloseUpdate(inside.uid(), from.plusSeconds(120), "client_closed", 3, 1000),
                new CloseUpdate(before.uid(), from.plusSeconds(120), "client_closed", 2, 50),
                new CloseUpdate(otherDatabase.uid(), from.plusSeconds(120), "client_closed", 1, 7))));
        completed(inside.uid(), "SELECT 1", from.plusSeconds(61));
        completed(inside.uid(), "SELECT 2", to); // end is exclusive
        completed(before.uid(), "SELECT 3", from); // start is inclusive; counted though the session began before
        completed(otherDatabase.uid(), "SELECT 4", from.plusSeconds(61));

        GrantUsage usage = queries.usage(erin, sales, from, to);

        assertThat(usage).isEqualTo(new GrantUsage(2, 1000));
        assertThat(queries.usage(bob, sales, from, to)).isEqualTo(GrantUsage.NONE);
    }

    @Test
    void closesOrphanedConnections() {
        ConnectionRecord orphan = open(bob, hr, now());

        assertThat(connections.closeOrphans("server_restart")).isGreaterThanOrEqualTo(1);
        assertThat(connections.get(orphan.uid()).orElseThrow().closeReason()).contains("server_restart");
    }
}
