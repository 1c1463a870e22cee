package dev.dbbat.store.auth;

import dev.dbbat.store.AuditEntry;
import dev.dbbat.store.AuditRepository;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuditSink} writing synchronously to {@link AuditRepository} (which redacts secrets again as a last guard).
 * A failed write is logged at WARN and swallowed. Thread-safe.
 */
public final class StoreAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(StoreAuditSink.class);

    private final AuditRepository audit;

    public StoreAuditSink(AuditRepository audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public void record(String eventType, UUID userId, UUID performedBy, Map<String, Object> details) {
        try {
            audit.insert(AuditEntry.of(eventType, Optional.ofNullable(userId), Optional.ofNullable(performedBy),
                    details));
        } catch (RuntimeException ex) {
            LOG.warn("cannot write audit event {}: {}", eventType, ex.getClass().getSimpleName());
        }
    }
}
