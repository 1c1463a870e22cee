package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.UuidV7;
import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.QueryParameters;
import dev.dbbat.core.event.ResultRow;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.event.SessionStats;
import dev.dbbat.core.event.Target;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.core.spi.SessionHandle;
import dev.dbbat.store.testing.Seed;
import dev.dbbat.store.testing.StoreFixture;
import dev.dbbat.store.writer.AsyncEventWriter;
import dev.dbbat.store.writer.WriterConfig;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecordingInterceptorIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private static Jdbi jdbi;
    private static UUID user;
    private static UUID database;
    private static UUID grant;

    @BeforeAll
    static void setUp() {
        jdbi = STORE.store().jdbi();
        user = Seed.user(jdbi, "recorded");
        database = Seed.database(jdbi, "recorded-db");
        grant = Seed.grant(jdbi, user, database);
    }

    /** A session handle that only remembers whether it was terminated. */
    private static final class FakeHandle implements SessionHandle {
        private volatile boolean open = true;

        @Override
        public void terminate(String message) {
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    private static SessionInfo session(Protocol protocol, InetSocketAddress client) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new SessionInfo(UuidV7.next(), "test-1", protocol,
                new Identity(user, "recorded", Set.of("connector"), Identity.AuthMethod.PASSWORD, Optional.empty()),
                new Target(database, "recorded-db", protocol, "localhost", 5432, "app", "u", "pw", "disable",
                        Optional.empty(), false),
                new GrantInfo(grant, Set.of(), now.minusSeconds(60), now.plusSeconds(3600), OptionalLong.empty(),
                        OptionalLong.empty(), 0, 0),
                client, now, Map.of(), new SessionStats(), new FakeHandle());
    }

    private static QueryEvent query(String sql, Optional<QueryParameters> parameters) {
        return new QueryEvent(UuidV7.next(), sql, parameters, Instant.now().truncatedTo(ChronoUnit.MICROS),
                System.nanoTime());
    }

    private static QueryOutcome ok(long nanos, long rowsAffected, long bytes, long rows) {
        return new QueryOutcome(nanos, OptionalLong.of(rowsAffected), Optional.empty(), Optional.empty(), false, bytes,
                rows, false, Optional.empty());
    }

    @Test
    void recordsASessionEndToEnd() {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        RecordingInterceptor interceptor = new RecordingInterceptor(writer, Duration.ZERO);
        SessionInfo session = session(Protocol.POSTGRESQL, new InetSocketAddress("192.0.2.7", 50123));
        QueryParameters parameters = new QueryParameters(Arrays.asList("42", null), List.of("NDI="),
                List.of(0, 1), List.of());
        QueryEvent select = query("SELECT id, name, doc FROM t WHERE id = $1", Optional.of(parameters));
        QueryEvent refused = query("DROP TABLE t", Optional.empty());
        QueryEvent copy = query("COPY t TO STDOUT WITH (FORMAT csv)", Optional.empty());

        Decision decision = interceptor.onConnect(session).toCompletableFuture().join();
        interceptor.onResultRow(session, select, new ResultRow(1, List.of("id", "name", "doc"),
                Arrays.asList(42L, "ann", new ResultRow.JsonText("{\"a\":[1]}")), 12));
        interceptor.onResultRow(session, select, new ResultRow(2, List.of("id", "name", "doc"),
                Arrays.asList(43L, null, new ResultRow.JsonText("not json")), 5));
        interceptor.onQueryComplete(session, select, ok(1_234_567, 2, 80, 2));
        interceptor.onQueryComplete(session, refused,
                QueryOutcome.refused(1000, Decision.INSUFFICIENT_PRIVILEGE, "DDL is blocked by the grant"));
        interceptor.onResultRow(session, copy, new ResultRow(1, List.of(), List.of("1", "x"), 4));
        interceptor.onQueryComplete(session, copy, new QueryOutcome(2_000_000, OptionalLong.of(1), Optional.empty(),
                Optional.empty(), false, 4, 1, false, Optional.of(new CopyInfo("out", "csv"))));
        session.stats().addBytesFromClient(100);
        session.stats().addBytesToClient(900);
        interceptor.onClose(session, CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, ""));
        interceptor.close();
        writer.close();

        assertThat(decision.proceeds()).isTrue();
        ConnectionRecord connection = new ConnectionRepository(jdbi).get(session.connectionId()).orElseThrow();
        assertThat(connection.userId()).isEqualTo(user);
        assertThat(connection.databaseId()).isEqualTo(database);
        assertThat(connection.grantId()).contains(grant);
        assertThat(connection.protocol()).isEqualTo("postgresql");
        assertThat(connection.sourceIp()).isEqualTo("192.0.2.7");
        assertThat(connection.connectedAt()).isEqualTo(session.connectedAt());
        assertThat(connection.disconnectedAt()).isPresent();
        assertThat(connection.closeReason()).contains("client_closed");
        assertThat(connection.queries()).isEqualTo(3);
        assertThat(connection.bytesTransferred()).isEqualTo(1000);

        QueryRepository queries = new QueryRepository(jdbi);
        QueryRecord logged = queries.get(select.queryId()).orElseThrow();
        assertThat(logged.sqlText()).isEqualTo(select.sql());
        assertThat(logged.parameters()).contains(Map.of("values", Arrays.asList("42", null), "raw", List.of("NDI="),
                "format_codes", List.of(0, 1)));
        assertThat(logged.executedAt()).isEqualTo(select.receivedAt());
        assertThat(logged.durationMs()).contains(new BigDecimal("1.235"));
        assertThat(logged.rowsAffected()).contains(2L);
        assertThat(logged.bytesTransferred()).isEqualTo(80);
        assertThat(logged.resultsTruncated()).isFalse();
        assertThat(queries.rows(select.queryId(), 0, 10, 1 << 20).rows())
                .extracting(QueryRowRecord::rowData, QueryRowRecord::rowSizeBytes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("{\"id\":42,\"name\":\"ann\",\"doc\":{\"a\":[1]}}",
                                12L),
                        org.assertj.core.groups.Tuple.tuple("{\"id\":43,\"name\":null,\"doc\":\"not json\"}",
                                5L));

        QueryRecord denied = queries.get(refused.queryId()).orElseThrow();
        assertThat(denied.refused()).isTrue();
        assertThat(denied.error()).contains("DDL is blocked by the grant");
        assertThat(denied.sqlState()).contains("42501");
        assertThat(denied.parameters()).isEmpty();
        assertThat(denied.durationMs()).contains(new BigDecimal("0.001"));

        QueryRecord copied = queries.get(copy.queryId()).orElseThrow();
        assertThat(copied.copyFormat()).contains("csv");
        assertThat(copied.copyDirection()).contains("out");
        assertThat(queries.rows(copy.queryId(), 0, 10, 1 << 20).rows()).extracting(QueryRowRecord::rowData)
                .containsExactly("[\"1\",\"x\"]");
        assertThat(writer.failed()).isZero();
    }

    @Test
    void rendersDeferredParametersOnTheWriterThreadNotTheCallers() {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        RecordingInterceptor interceptor = new RecordingInterceptor(writer, Duration.ZERO);
        SessionInfo session = session(Protocol.POSTGRESQL, new InetSocketAddress("192.0.2.8", 50124));
        List<String> renderedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        QueryParameters parameters = QueryParameters.deferred(() -> {
            renderedOn.add(Thread.currentThread().getName());
            return new QueryParameters(List.of("7"), List.of("Nw=="), List.of(0), List.of(23L));
        });
        QueryEvent select = query("SELECT * FROM t WHERE id = $1", Optional.of(parameters));

        interceptor.onConnect(session).toCompletableFuture().join();
        interceptor.onQueryComplete(session, select, ok(500_000, 1, 30, 1));
        assertThat(renderedOn).isEmpty(); // the caller (an event loop) only queued the statement
        interceptor.onClose(session, CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, ""));
        writer.close();

        assertThat(renderedOn).singleElement().asString().startsWith("dbbat-store-writer");
        assertThat(new QueryRepository(jdbi).get(select.queryId()).orElseThrow().parameters()).contains(Map.of(
                "values", List.of("7"), "raw", List.of("Nw=="), "format_codes", List.of(0), "type_oids",
                List.of(23)));
    }

    @Test
    void flushesLiveStatsOfOpenSessions() {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        RecordingInterceptor interceptor = new RecordingInterceptor(writer, Duration.ZERO);
        SessionInfo session = session(Protocol.MYSQL, new InetSocketAddress("2001:db8::1", 3307));
        interceptor.onConnect(session);
        QueryEvent select = query("SELECT 1", Optional.empty());
        interceptor.onQueryComplete(session, select, ok(10, 1, 5, 0));
        session.stats().addBytesFromClient(64);

        interceptor.flushStats();
        interceptor.flushStats();
        writer.close();

        ConnectionRecord connection = new ConnectionRepository(jdbi).get(session.connectionId()).orElseThrow();
        assertThat(connection.open()).isTrue();
        assertThat(connection.queries()).isEqualTo(1);
        assertThat(connection.bytesTransferred()).isEqualTo(64);
        assertThat(connection.protocol()).isEqualTo("mysql");
        assertThat(connection.sourceIp()).isEqualTo("2001:db8::1");
        assertThat(writer.written()).isEqualTo(3);
        assertThat(interceptor.openSessions()).isEqualTo(1);
        interceptor.close();
    }

    @Test
    void marksAStatementTruncatedWhenTheWriterDropsItsRows() {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi, WriterConfig.defaults().withRowCapacity(0, 0));
        RecordingInterceptor interceptor = new RecordingInterceptor(writer, Duration.ZERO);
        SessionInfo session = session(Protocol.ORACLE, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
        interceptor.onConnect(session);
        QueryEvent select = query("SELECT * FROM dual", Optional.empty());
        interceptor.onResultRow(session, select, new ResultRow(1, List.of("DUMMY"), List.of("X"), 1));
        interceptor.onQueryComplete(session, select, ok(10, 1, 1, 1));
        interceptor.onClose(session, CloseReason.of(CloseReason.Kind.TERMINATED, "grant revoked"));
        interceptor.close();
        writer.close();

        QueryRecord logged = new QueryRepository(jdbi).get(select.queryId()).orElseThrow();
        assertThat(logged.resultsTruncated()).isTrue();
        assertThat(new QueryRepository(jdbi).rows(select.queryId(), 0, 10, 1 << 20).totalRows()).isZero();
        assertThat(writer.droppedRows()).isEqualTo(1);
        assertThat(new ConnectionRepository(jdbi).get(session.connectionId()).orElseThrow().closeReason())
                .contains("terminated: grant revoked");
    }

    @Test
    void ignoresCallbacksOfSessionsItNeverSawConnect() {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        RecordingInterceptor interceptor = new RecordingInterceptor(writer, Duration.ZERO);
        SessionInfo session = session(Protocol.POSTGRESQL, new InetSocketAddress("10.0.0.1", 1));
        QueryEvent select = query("SELECT 1", Optional.empty());

        interceptor.onResultRow(session, select, new ResultRow(1, List.of("x"), List.of(1L), 1));
        interceptor.onQueryComplete(session, select, ok(1, 1, 1, 1));
        interceptor.onClose(session, CloseReason.of(CloseReason.Kind.ERROR, "boom"));
        interceptor.close();
        writer.close();

        assertThat(writer.accepted()).isZero();
    }

    @Test
    void formatsDurationsAndAddresses() {
        assertThat(RecordingInterceptor.durationMs(1_500)).isEqualByComparingTo("0.002");
        assertThat(RecordingInterceptor.durationMs(-5)).isEqualByComparingTo("0");
        assertThat(RecordingInterceptor.durationMs(Long.MAX_VALUE)).isEqualByComparingTo("999999999.999");
        assertThat(RecordingInterceptor.sourceIp(InetSocketAddress.createUnresolved("example.org", 1)))
                .isEqualTo("0.0.0.0");
        assertThat(RecordingInterceptor.sourceIp(new InetSocketAddress("fe80::1%1", 1)))
                .isEqualTo("fe80:0:0:0:0:0:0:1");
    }

    @Test
    void keepsFlushingUntilOnCloseForAnOpenHandle() {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        RecordingInterceptor interceptor = new RecordingInterceptor(writer, Duration.ZERO);
        SessionInfo session = session(Protocol.POSTGRESQL, new InetSocketAddress("10.0.0.2", 1));
        interceptor.onConnect(session);
        session.handle().terminate("bye");

        interceptor.flushStats();

        assertThat(interceptor.openSessions()).isEqualTo(1);
        interceptor.onClose(session, CloseReason.of(CloseReason.Kind.TERMINATED, "bye"));
        assertThat(interceptor.openSessions()).isZero();
        interceptor.close();
        writer.close();
    }

    @Test
    void leavesOutCopyMetadataTheSchemaWouldReject() {
        AsyncEventWriter writer = AsyncEventWriter.start(jdbi);
        RecordingInterceptor interceptor = new RecordingInterceptor(writer, Duration.ZERO);
        SessionInfo session = session(Protocol.POSTGRESQL, new InetSocketAddress("10.0.0.3", 1));
        interceptor.onConnect(session);
        QueryEvent copy = query("COPY t FROM STDIN", Optional.empty());
        interceptor.onQueryComplete(session, copy, new QueryOutcome(5, OptionalLong.empty(), Optional.empty(),
                Optional.empty(), false, 0, 0, false, Optional.of(new CopyInfo("IN", "parquet"))));
        interceptor.close();
        writer.close();

        QueryRecord logged = new QueryRepository(jdbi).get(copy.queryId()).orElseThrow();
        assertThat(logged.copyDirection()).contains("in");
        assertThat(logged.copyFormat()).isEmpty();
        assertThat(writer.failed()).isZero();
    }
}
