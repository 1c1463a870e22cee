package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.store.testing.StoreFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StoreIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    @Test
    void migratesTheWholeSchema() {
        var tables = STORE.store().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .mapTo(String.class)
                .list());

        assertThat(tables).contains("users", "api_keys", "databases", "access_grants", "connections", "queries",
                "query_rows", "audit_log", "user_identities", "oauth_states");
    }

    @Test
    void theStatementLogKeepsOnlyABrinIndexOnItsTime() {
        var indexes = STORE.store().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT indexdef FROM pg_indexes WHERE tablename = 'queries' AND indexdef LIKE '%executed_at%'")
                .mapTo(String.class)
                .list());

        assertThat(indexes).singleElement().asString().contains("USING brin (executed_at)");
    }

    @Test
    void secondMigrateAppliesNothing() {
        assertThat(STORE.store().migrate()).isZero();
        assertThat(STORE.store().migrationStatus()).anyMatch(line -> line.contains("SUCCESS"));
    }

    @Test
    void answersPing() {
        assertThat(STORE.store().ping()).isTrue();
    }

    @Test
    void refusesAnUnreachableDatabaseQuickly() {
        PostgresDsn nowhere = new PostgresDsn("127.0.0.1", 1, "x", "u", "secret-password", Map.of());

        assertThatThrownBy(() -> Store.open(nowhere, 2, 1000))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect")
                .hasMessageNotContaining("secret-password");
    }

    private static String messages(Throwable error) {
        StringBuilder result = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            result.append(cause).append('\n');
            if (cause instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                result.append(sql.getNextException()).append('\n');
            }
        }
        return result.toString();
    }

    @Test
    void keepsBoundValuesOutOfExceptionMessages() {
        Throwable single = org.assertj.core.api.Assertions.catchThrowable(() -> STORE.store().jdbi().useHandle(
                handle -> handle.createUpdate("INSERT INTO audit_log (uid, event_type) VALUES (:uid, :type)")
                        .bind("uid", java.util.UUID.randomUUID())
                        .bind("type", (String) null)
                        .bind("unused", "s3cr3t-single")
                        .execute()));
        Throwable batch = org.assertj.core.api.Assertions.catchThrowable(() -> STORE.store().jdbi().useHandle(
                handle -> handle.prepareBatch("INSERT INTO audit_log (uid, event_type, details)"
                                + " VALUES (:uid, :type, CAST(:details AS jsonb))")
                        .bind("uid", java.util.UUID.randomUUID()).bind("type", (String) null)
                        .bind("details", "{\"password\": \"s3cr3t-batch\"}").add()
                        .execute()));

        assertThat(single).isNotNull();
        assertThat(messages(single)).contains("not-null").doesNotContain("s3cr3t-single");
        assertThat(batch).isNotNull();
        assertThat(messages(batch)).doesNotContain("s3cr3t-batch");
    }
}
