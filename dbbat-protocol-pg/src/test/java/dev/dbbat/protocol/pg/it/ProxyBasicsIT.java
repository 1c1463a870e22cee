package dev.dbbat.protocol.pg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyBasicsIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness(Upstream.pg17());
        try (Connection connection = proxy.upstream.appConnection(); Statement statement =
                connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS items");
            statement.execute("CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), doc jsonb)");
            statement.execute("INSERT INTO items VALUES (1, 'one', 1.10, '{\"a\":1}'), (2, 'two', 2.20, null)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @BeforeEach
    void reset() {
        proxy.interceptor.reset();
    }

    /** Operators find the relay's threads by name (top -H, jstack): the server's own event loops are dbbat-pg-*. */
    @Test
    void sessionsRunOnEventLoopsNamedForTheProxy() throws Exception {
        java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        proxy.interceptor.onQuery = query -> {
            threads.add(Thread.currentThread().getName());
            return dev.dbbat.core.spi.Decision.proceed();
        };
        try (Connection connection = proxy.connect("main", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
        }
        assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name).matches("dbbat-pg-\\d+-\\d+"));
    }

    @Test
    void relaysSimpleQueryWithScram() throws Exception {
        try (Connection connection = proxy.connect("main", "preferQueryMode=simple");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, name, price, doc FROM items ORDER BY id")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("name")).isEqualTo("one");
            assertThat(rows.next()).isTrue();
            assertThat(rows.next()).isFalse();
        }
        RecordingInterceptor.Completed done = proxy.interceptor.completedFor("FROM items");
        assertThat(done.outcome().rowsAffected()).hasValue(2);
        assertThat(done.outcome().error()).isEmpty();
        assertThat(done.outcome().rowsCaptured()).isEqualTo(2);
        RecordingInterceptor.Row first = proxy.interceptor.rows.stream()
                .filter(each -> each.query().sql().contains("FROM items")).findFirst().orElseThrow();
        assertThat(first.row().columnNames()).containsExactly("id", "name", "price", "doc");
        assertThat(first.row().values().get(0)).isEqualTo(1L);
        assertThat(first.row().values().get(2)).isEqualTo(new BigDecimal("1.10"));
        assertThat(first.row().values().get(3)).isInstanceOf(dev.dbbat.core.event.ResultRow.JsonText.class);
        waitFor(() -> proxy.interceptor.closes.size() >= 1);
    }

    @Test
    void relaysPreparedStatementsWithParameters() throws Exception {
        try (Connection connection = proxy.connect("main", "prepareThreshold=1");
                PreparedStatement statement = connection.prepareStatement("SELECT name FROM items WHERE id = ?")) {
            for (int i = 0; i < 3; i++) {
                statement.setInt(1, 2);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("two");
                }
            }
        }
        var events = proxy.interceptor.completed.stream()
                .filter(each -> each.query().sql().contains("WHERE id = $1")).toList();
        assertThat(events).hasSize(3);
        for (var each : events) {
            assertThat(each.query().parameters()).isPresent();
            assertThat(each.query().parameters().get().values()).containsExactly("2");
            assertThat(each.outcome().rowsAffected()).hasValue(1);
        }
        assertThat(proxy.interceptor.rows.stream().filter(each -> each.query().sql().contains("WHERE id = $1"))
                .map(each -> each.row().values().get(0))).containsOnly("two");
    }

    @Test
    void decodesBinaryResults() throws Exception {
        try (Connection connection = proxy.connect("main", "binaryTransfer=true&prepareThreshold=-1");
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, price FROM items WHERE id = ?")) {
            statement.setInt(1, 1);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
        RecordingInterceptor.Row row = proxy.interceptor.rows.stream()
                .filter(each -> each.query().sql().contains("SELECT id, price")).findFirst().orElseThrow();
        assertThat(row.row().values().get(0)).isEqualTo(1L);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
