package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.core.UuidV7;
import dev.dbbat.store.testing.Seed;
import dev.dbbat.store.testing.StoreFixture;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditRepositoryIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private static AuditRepository audit;
    private static UUID alice;
    private static UUID admin;

    @BeforeAll
    static void setUp() {
        audit = new AuditRepository(STORE.store().jdbi());
        alice = Seed.user(STORE.store().jdbi(), "alice");
        admin = Seed.user(STORE.store().jdbi(), "admin");
    }

    private static AuditEntry entry(String type, UUID user, UUID actor, Map<String, Object> details) {
        return AuditEntry.of(type, Optional.ofNullable(user), Optional.ofNullable(actor), details);
    }

    @Test
    void insertsAndReadsBackAnEntry() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
        AuditEntry entry = new AuditEntry(UuidV7.next(), "insert.test", Optional.of(alice), Optional.of(admin),
                Map.of("username", "alice", "roles", List.of("connector"), "port", 5432), at);

        audit.insert(entry);

        AuditEntry read = audit.list(AuditFilter.all().withEventType("insert.test")).get(0);
        assertThat(read.uid()).isEqualTo(entry.uid());
        assertThat(read.userId()).contains(alice);
        assertThat(read.performedBy()).contains(admin);
        assertThat(read.createdAt()).isEqualTo(at);
        assertThat(read.details()).containsEntry("username", "alice").containsEntry("roles", List.of("connector"))
                .containsEntry("port", 5432);
    }

    @Test
    void storesEntriesWithoutUsersAndWithEmptyDetails() {
        audit.insert(entry("database.deleted.test", null, null, Map.of()));

        AuditEntry read = audit.list(AuditFilter.all().withEventType("database.deleted.test")).get(0);
        assertThat(read.userId()).isEmpty();
        assertThat(read.performedBy()).isEmpty();
        assertThat(read.details()).isEmpty();
    }

    @Test
    void redactsSecretsAtAnyDepthBeforeInsert() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("Password", "hunter2");
        nested.put("host", "db.example");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("updated_fields", nested);
        details.put("NEW_PASSWORD", "n3w-secret");
        details.put("current_password", "old-secret");
        details.put("token", "web_abcdef");
        details.put("Key", "dbb_0123456789");
        details.put("items", List.of(Map.of("secret", "s3")));
        details.put("key_prefix", "dbb_0123");
        details.put("password_marker", "<changed>");
        details.put("expires_at", null);
        details.put("starts_at", Instant.parse("2026-05-01T00:00:00Z"));

        audit.insert(entry("redaction.test", alice, admin, details));

        String raw = STORE.store().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT details::text FROM audit_log WHERE event_type = 'redaction.test'")
                .mapTo(String.class).one());
        assertThat(raw).doesNotContain("hunter2", "n3w-secret", "old-secret", "web_abcdef", "dbb_0123456789", "s3\"")
                .contains("<redacted>", "dbb_0123", "db.example", "2026-05-01T00:00:00Z");
        Map<String, Object> read = audit.list(AuditFilter.all().withEventType("redaction.test")).get(0).details();
        assertThat(read).containsEntry("updated_fields", Map.of("Password", "<redacted>", "host", "db.example"))
                .containsEntry("NEW_PASSWORD", "<redacted>")
                .containsEntry("items", List.of(Map.of("secret", "<redacted>")))
                .containsEntry("expires_at", null);
    }

    @Test
    void keepsTheChangedMarkerUnderASecretKey() {
        audit.insert(entry("changed.test", alice, admin, Map.of("updated_fields", Map.of("password", "<changed>"))));

        assertThat(audit.list(AuditFilter.all().withEventType("changed.test")).get(0).details())
                .containsEntry("updated_fields", Map.of("password", "<changed>"));
    }

    @Test
    void filtersByUserActorAndType() {
        UUID bob = Seed.user(STORE.store().jdbi(), "bob-filters");
        audit.insert(entry("filter.a", bob, admin, Map.of()));
        audit.insert(entry("filter.b", bob, alice, Map.of()));
        audit.insert(entry("filter.a", alice, admin, Map.of()));

        assertThat(audit.list(AuditFilter.all().withUserId(bob))).extracting(AuditEntry::eventType)
                .containsExactly("filter.b", "filter.a");
        assertThat(audit.list(AuditFilter.all().withUserId(bob).withPerformedBy(admin)))
                .extracting(AuditEntry::eventType).containsExactly("filter.a");
        assertThat(audit.list(AuditFilter.all().withEventType("filter.a"))).hasSize(2);
    }

    @Test
    void filtersByTimeRangeInclusive() {
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            audit.insert(new AuditEntry(UuidV7.next(), "time.test", Optional.empty(), Optional.empty(), Map.of("i", i),
                    base.plus(i, ChronoUnit.HOURS)));
        }

        List<AuditEntry> page = audit.list(AuditFilter.all().withEventType("time.test")
                .withStartTime(base.plus(1, ChronoUnit.HOURS)).withEndTime(base.plus(3, ChronoUnit.HOURS)));

        assertThat(page).extracting(each -> each.details().get("i")).containsExactly(3, 2, 1);
    }

    @Test
    void pagesWithKeysetLimitAndOffset() {
        for (int i = 0; i < 7; i++) {
            audit.insert(entry("page.test", null, null, Map.of("i", i)));
        }
        AuditFilter filter = AuditFilter.all().withEventType("page.test").withLimit(3);

        List<AuditEntry> first = audit.list(filter);
        List<AuditEntry> second = audit.list(filter.withBefore(first.get(2).uid()));
        List<AuditEntry> offset = audit.list(filter.withOffset(3));

        assertThat(first).extracting(each -> each.details().get("i")).containsExactly(6, 5, 4);
        assertThat(second).extracting(each -> each.details().get("i")).containsExactly(3, 2, 1);
        assertThat(offset).isEqualTo(second);
    }

    @Test
    void clampsTheLimit() {
        assertThat(AuditFilter.all().withLimit(0).limit()).isEqualTo(1);
        assertThat(AuditFilter.all().withLimit(5000).limit()).isEqualTo(1000);
        assertThat(AuditFilter.all().withOffset(-3).offset()).isZero();
    }

    @Test
    void insertsInsideACallersTransactionAndRollsBackWithIt() {
        try {
            STORE.store().jdbi().useTransaction(handle -> {
                AuditRepository.insert(handle, entry("tx.test", alice, admin, Map.of("n", 1)));
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        STORE.store().jdbi().useTransaction(handle ->
                AuditRepository.insert(handle, entry("tx.test", alice, admin, Map.of("n", 2))));

        assertThat(audit.list(AuditFilter.all().withEventType("tx.test")))
                .extracting(each -> each.details().get("n")).containsExactly(2);
    }
}
