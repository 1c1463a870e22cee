/**
 * The PostgreSQL v3 proxy of DBBat.
 *
 * <p>Entry points: {@link dev.dbbat.protocol.pg.PgProxyServer} (a ready-made listener) and
 * {@link dev.dbbat.protocol.pg.PgProxyInitializer} (for an embedder's own {@code ServerBootstrap}), configured by
 * {@link dev.dbbat.protocol.pg.PgProxyConfig} and driven only by the {@code dev.dbbat.core.spi} interfaces:
 * {@code ClientAuthenticator} (who the client is), {@code TargetResolver} (which upstream, under which grant) and
 * {@code SessionInterceptor} (policy and logging).
 *
 * <p>A session terminates the client's login (SCRAM-SHA-256, or a cleartext password over TLS), connects to the
 * upstream on the client channel's event loop with the stored credentials (cleartext, MD5 or SCRAM-SHA-256; TLS per
 * libpq {@code sslmode}), then relays frames unchanged, decoding only what policy and logging need. Every failure
 * before the target is resolved looks the same to the client ({@code FATAL 28000 password authentication failed for
 * user "..."}); once the client has authenticated, a resolver refusal keeps that message and adds its reason as
 * DETAIL. Statement refusals are {@code ERROR 42501} (SQL policy) or the interceptor's SQLSTATE, followed by a
 * ReadyForQuery with the real upstream transaction status.
 */
package dev.dbbat.protocol.pg;
