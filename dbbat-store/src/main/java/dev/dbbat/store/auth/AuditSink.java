package dev.dbbat.store.auth;

import java.util.Map;
import java.util.UUID;

/**
 * Where the API and the proxies' authenticator record audit events ({@code audit_log}). Implementations must not
 * throw (an audit failure is logged, never propagated) and may write asynchronously. {@code details} never holds a
 * secret: callers redact passwords, keys and tokens before calling.
 */
@FunctionalInterface
public interface AuditSink {

    /**
     * @param eventType e.g. {@code user.created}, {@code proxy.login_failed}
     * @param userId the user the event is about, may be null
     * @param performedBy the acting user, may be null (unauthenticated proxy attempts)
     * @param details JSON-serialisable details, never secrets
     */
    void record(String eventType, UUID userId, UUID performedBy, Map<String, Object> details);
}
