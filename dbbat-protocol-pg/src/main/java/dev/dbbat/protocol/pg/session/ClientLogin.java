package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.auth.ScramCredentials;
import dev.dbbat.core.event.AuthResult;
import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.LoginAttempt;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.Resolution;
import dev.dbbat.protocol.pg.auth.ScramServerExchange;
import dev.dbbat.protocol.pg.internal.ByteBufs;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgMessages;
import dev.dbbat.protocol.pg.message.StartupMessage;
import dev.dbbat.protocol.pg.message.StartupPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's startup and authentication: SSLRequest/GSSENCRequest/CancelRequest, StartupMessage, SCRAM-SHA-256
 * or cleartext password, then target resolution. Every failure before the target is resolved gets the same
 * {@code FATAL 28000 password authentication failed for user "..."}; after authentication a resolver refusal keeps
 * that message and adds its reason as DETAIL (the client has proven who it is). The log says which it was.
 *
 * <p>Single-threaded: runs on the session's event loop; async SPI results hop back with {@code execute}.
 */
final class ClientLogin {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLogin.class);
    private static final byte[] SSL_YES = {'S'};
    private static final byte[] SSL_NO = {'N'};

    /** What the login waits for. */
    private enum Phase {
        STARTUP,
        SASL_INITIAL,
        SASL_FINAL,
        PASSWORD,
        BUSY,
        DONE
    }

    private final PgSession session;
    private Phase phase = Phase.STARTUP;
    private Map<String, String> parameters = Map.of();
    private LoginAttempt attempt;
    private ScramServerExchange exchange;

    ClientLogin(PgSession session) {
        this.session = session;
    }

    boolean wantsInput() {
        return phase != Phase.BUSY && phase != Phase.DONE;
    }

    /** Startup attributes safe to report (no user, no database). */
    Map<String, String> attributes() {
        Map<String, String> result = new HashMap<>(parameters);
        result.remove("user");
        result.remove("database");
        return result;
    }

    void onMessage(Object message) {
        try {
            if (message instanceof StartupPacket packet && phase == Phase.STARTUP) {
                onStartupPacket(packet);
            } else if (message instanceof PgFrame frame && frame.type() == 'p') {
                onPasswordFrame(frame);
            } else {
                protocolViolation("unexpected message during login: " + message);
            }
        } catch (IllegalArgumentException ex) {
            protocolViolation(ex.getMessage());
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onStartupPacket(StartupPacket packet) {
        switch (packet.code()) {
            case StartupPacket.SSL_REQUEST -> onSslRequest();
            case StartupPacket.GSSENC_REQUEST -> session.client.writeAndFlush(Unpooled.wrappedBuffer(SSL_NO));
            case StartupPacket.CANCEL_REQUEST -> onCancelRequest(packet.content());
            default -> {
                if (!packet.isProtocol3()) {
                    fail("0A000", "unsupported frontend protocol " + (packet.code() >>> 16) + "."
                            + (packet.code() & 0xFFFF) + ": server supports 3.0", "unsupported protocol");
                    return;
                }
                onStartupMessage(StartupMessage.decode(packet));
            }
        }
    }

    private void onSslRequest() {
        Optional<SslContext> tls = session.context.config.clientTls();
        if (tls.isEmpty() || session.tlsActive) {
            session.client.writeAndFlush(Unpooled.wrappedBuffer(SSL_NO));
            return;
        }
        if (session.clientDecoder.bufferedBytes() > 0) {
            // bytes sent after SSLRequest before our answer would be read as if encrypted (CVE-2021-23214)
            protocolViolation("unencrypted data after SSL request");
            return;
        }
        session.client.writeAndFlush(Unpooled.wrappedBuffer(SSL_YES));
        session.client.pipeline().addAfter(PgSession.COUNTER, PgSession.SSL,
                tls.get().newHandler(session.client.alloc()));
        session.tlsActive = true;
    }

    private void onCancelRequest(ByteBuf body) {
        phase = Phase.DONE;
        if (body.readableBytes() >= 8) {
            int processId = body.getInt(body.readerIndex());
            int secret = body.getInt(body.readerIndex() + 4);
            session.context.cancels.cancel(processId, secret, session.client.eventLoop(), session.client.getClass());
        }
        session.end(CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, "cancel request"), null);
    }

    private void onStartupMessage(StartupMessage startup) {
        parameters = startup.parameters();
        List<String> unsupported = parameters.keySet().stream().filter(each -> each.startsWith("_pq_.")).toList();
        if (startup.minorVersion() > 0 || !unsupported.isEmpty()) {
            session.client.write(PgMessages.negotiateProtocolVersion(session.client.alloc(),
                    StartupPacket.PROTOCOL_3_0, unsupported));
        }
        String user = parameters.getOrDefault("user", "");
        if (user.isEmpty()) {
            fail("28000", "no PostgreSQL user name specified in startup packet", "no user");
            return;
        }
        String database = parameters.getOrDefault("database", "");
        if (database.isEmpty()) {
            fail("3D000", "no database name specified in startup packet", "no database");
            return;
        }
        if (session.context.config.requireClientTls() && !session.tlsActive) {
            fail("28000", "TLS is required: connect with sslmode=require", "client did not use TLS");
            return;
        }
        attempt = new LoginAttempt(Protocol.POSTGRESQL, user, database,
                (InetSocketAddress) session.client.remoteAddress(), attributes());
        LOG.debug("[{}] login attempt by {} for {}", session.id, user, database);
        phase = Phase.BUSY;
        whenDone(session.context.authenticator.scramCredentials(attempt), this::onScramCredentials);
    }

    private void onScramCredentials(ScramCredentials credentials) {
        if (credentials.available()) {
            exchange = new ScramServerExchange(credentials);
            phase = Phase.SASL_INITIAL;
            send(PgMessages.authenticationSasl(session.client.alloc(), List.of(ScramServerExchange.MECHANISM)));
        } else if (session.tlsActive || session.context.config.allowCleartextWithoutTls()) {
            phase = Phase.PASSWORD;
            send(PgMessages.authentication(session.client.alloc(), 3, new byte[0]));
        } else {
            fail("28000", "password authentication requires TLS on this server: connect with sslmode=require",
                    "SCRAM unavailable and cleartext refused without TLS");
        }
    }

    private void onPasswordFrame(PgFrame frame) {
        ByteBuf body = frame.body();
        switch (phase) {
            case SASL_INITIAL -> {
                String mechanism = ByteBufs.readCString(body);
                ByteBufs.require(body, 4, "SASLInitialResponse length");
                int length = body.readInt();
                ByteBufs.require(body, length, "SASLInitialResponse data");
                if (!ScramServerExchange.MECHANISM.equals(mechanism)) {
                    fail("28000", authFailed(), "unsupported SASL mechanism " + mechanism);
                    return;
                }
                String serverFirst = exchange.serverFirst(body.toString(body.readerIndex(), length,
                        StandardCharsets.UTF_8));
                phase = Phase.SASL_FINAL;
                send(PgMessages.authentication(session.client.alloc(), 11,
                        serverFirst.getBytes(StandardCharsets.UTF_8)));
            }
            case SASL_FINAL -> {
                Optional<String> matched = exchange.verify(body.toString(StandardCharsets.UTF_8));
                phase = Phase.BUSY;
                whenDone(session.context.authenticator.scramCompleted(attempt, matched),
                        result -> onAuthResult(result, matched.isPresent()));
            }
            case PASSWORD -> {
                char[] secret = passwordChars(body);
                phase = Phase.BUSY;
                whenDone(session.context.authenticator.authenticate(attempt, secret),
                        result -> onAuthResult(result, true));
            }
            default -> protocolViolation("unexpected password message");
        }
    }

    private static char[] passwordChars(ByteBuf body) {
        int end = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
        int length = (end < 0 ? body.writerIndex() : end) - body.readerIndex();
        byte[] bytes = new byte[length];
        body.getBytes(body.readerIndex(), bytes);
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        char[] result = Arrays.copyOf(chars.array(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        return result;
    }

    private void onAuthResult(AuthResult result, boolean proofMatched) {
        if (!(result instanceof AuthResult.Authenticated authenticated) || !proofMatched) {
            String reason = result instanceof AuthResult.Rejected rejected ? rejected.reason() : "proof mismatch";
            fail("28000", authFailed(), "authentication rejected: " + reason);
            return;
        }
        if (exchange != null) {
            session.client.write(PgMessages.authentication(session.client.alloc(), 12,
                    exchange.serverFinal().getBytes(StandardCharsets.UTF_8)));
        }
        Identity identity = authenticated.identity();
        LOG.debug("[{}] {} authenticated ({})", session.id, identity.username(), identity.method());
        whenDone(session.context.resolver.resolve(identity, attempt.databaseName(), Protocol.POSTGRESQL),
                resolution -> onResolution(identity, resolution));
    }

    private void onResolution(Identity identity, Resolution resolution) {
        if (resolution instanceof Resolution.Refused refused) {
            LOG.debug("[{}] target refused for {}: {}", session.id, identity.username(), refused.reason());
            session.fatal("28000", authFailed(), refused.reason(),
                    CloseReason.of(CloseReason.Kind.TERMINATED, "refused: " + refused.reason()));
            phase = Phase.DONE;
            return;
        }
        Resolution.Resolved resolved = (Resolution.Resolved) resolution;
        phase = Phase.DONE;
        session.connectUpstream(identity, resolved.target(), resolved.grant(), parameters);
    }

    private <T> void whenDone(CompletionStage<T> stage, Consumer<T> next) {
        stage.whenComplete((value, ex) -> session.client.eventLoop().execute(() -> {
            if (session.state != PgSession.State.LOGIN || !session.client.isActive()) {
                return;
            }
            if (ex != null) {
                LOG.error("[{}] login step failed", session.id, ex);
                fail("28000", authFailed(), "internal error: " + ex);
                return;
            }
            next.accept(value);
        }));
    }

    private String authFailed() {
        return "password authentication failed for user \"" + (attempt == null ? "" : attempt.username()) + "\"";
    }

    private void send(ByteBuf message) {
        session.client.writeAndFlush(message);
        session.client.read();
    }

    private void fail(String sqlState, String message, String logReason) {
        LOG.debug("[{}] login failed: {}", session.id, logReason);
        phase = Phase.DONE;
        session.fatal(sqlState, message, null, CloseReason.of(CloseReason.Kind.TERMINATED, logReason));
    }

    private void protocolViolation(String detail) {
        LOG.debug("[{}] login protocol violation: {}", session.id, detail);
        phase = Phase.DONE;
        session.fatal("08P01", "invalid login message", null,
                CloseReason.of(CloseReason.Kind.PROTOCOL_ERROR, detail));
    }
}
