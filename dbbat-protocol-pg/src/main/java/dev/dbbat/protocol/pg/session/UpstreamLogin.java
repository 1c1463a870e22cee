package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Target;
import dev.dbbat.protocol.pg.auth.Md5Password;
import dev.dbbat.protocol.pg.auth.ScramClientExchange;
import dev.dbbat.protocol.pg.auth.ScramServerExchange;
import dev.dbbat.protocol.pg.codec.PgBackendDecoder;
import dev.dbbat.protocol.pg.internal.ByteBufs;
import dev.dbbat.protocol.pg.message.BackendMessages;
import dev.dbbat.protocol.pg.message.ErrorFields;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgMessages;
import dev.dbbat.protocol.pg.message.SslResponse;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects and logs in to the upstream PostgreSQL on the client's event loop: TCP, TLS per libpq {@code sslmode},
 * StartupMessage with the target's user and database and the client's harmless parameters, cleartext / MD5 /
 * SCRAM-SHA-256 authentication, and {@code SET SESSION default_transaction_read_only = on} for read-only grants.
 * ParameterStatus and BackendKeyData are kept for the client. Single-threaded.
 */
final class UpstreamLogin {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLogin.class);
    /**
     * How long a read of the upstream waits when the previous one ended in the middle of forwarded rows (see
     * {@link PgBackendDecoder}); system property {@code dbbat.pg.rowReadDelayMicros}, 0 disables.
     */
    static final long ROW_READ_DELAY_NANOS = Long.getLong("dbbat.pg.rowReadDelayMicros", 100) * 1000;
    /**
     * Bytes of consecutive rows after which a result counts as large and its reads may wait: smaller results are
     * forwarded as they land. System property {@code dbbat.pg.rowReadDelayAfterBytes}.
     */
    static final long ROW_READ_DELAY_AFTER_BYTES = Long.getLong("dbbat.pg.rowReadDelayAfterBytes", 128 * 1024);
    /**
     * Largest upstream read (the buffer adapts between 64 bytes and this): rows gathered during a read delay are
     * taken in one receive. System property {@code dbbat.pg.maxReadBytes}.
     */
    static final int MAX_READ_BYTES = Integer.getInteger("dbbat.pg.maxReadBytes", 256 * 1024);
    private static final String READ_ONLY_SQL = "SET SESSION default_transaction_read_only = on";

    private final PgSession session;
    private final Identity identity;
    private final Target target;
    private final GrantInfo grant;
    private final Map<String, String> clientParameters;
    private final Map<String, String> startupParameters;
    private final Map<String, String> parameterStatus = new LinkedHashMap<>();
    private PgBackendDecoder decoder;
    private ScramClientExchange scram;
    private ScheduledFuture<?> timeout;
    private boolean readOnlySent;
    private boolean done;
    private int processId;
    private int secret;

    UpstreamLogin(PgSession session, Identity identity, Target target, GrantInfo grant,
            Map<String, String> clientParameters, Map<String, String> startupParameters) {
        this.session = session;
        this.startupParameters = startupParameters;
        this.identity = identity;
        this.target = target;
        this.grant = grant;
        this.clientParameters = clientParameters;
    }

    boolean wantsInput() {
        return !done;
    }

    void start() {
        // without result capture nothing reads DataRow / CopyData: they are forwarded a read buffer at a time
        decoder = new PgBackendDecoder(session.context.config.maxFrameLength(),
                !session.context.config.captureResults(), ROW_READ_DELAY_NANOS, ROW_READ_DELAY_AFTER_BYTES);
        int connectMillis = (int) session.context.config.connectTimeout().toMillis();
        Bootstrap bootstrap = new Bootstrap().group(session.client.eventLoop()).channel(session.client.getClass())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOCATOR, session.client.alloc())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        AdaptiveRecvByteBufAllocator.DEFAULT_MINIMUM, AdaptiveRecvByteBufAllocator.DEFAULT_INITIAL,
                        Math.max(AdaptiveRecvByteBufAllocator.DEFAULT_INITIAL, MAX_READ_BYTES)))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(PgSession.DECODER, decoder);
                        channel.pipeline().addLast(UpstreamPool.HANDLER, new UpstreamHandler(session));
                    }
                });
        timeout = session.client.eventLoop().schedule(() -> failed("upstream login timed out"),
                connectMillis * 2L, TimeUnit.MILLISECONDS);
        LOG.debug("[{}] connecting to upstream {}", session.id, target);
        bootstrap.connect(target.host(), target.port()).addListener((ChannelFutureListener) future -> {
            if (session.state != PgSession.State.CONNECTING) {
                future.channel().close();
                return;
            }
            if (!future.isSuccess()) {
                failed("connect failed: " + future.cause());
                return;
            }
            session.upstream = future.channel();
            if (UpstreamTls.sendsSslRequest(target.sslMode())) {
                decoder.expectSslResponse();
                session.upstream.writeAndFlush(PgMessages.sslRequest(session.upstream.alloc()));
            } else {
                sendStartup();
            }
            session.upstream.read();
        });
    }

    void onMessage(Object message) {
        try {
            if (message instanceof SslResponse answer) {
                onSslResponse(answer.willing());
            } else if (message instanceof PgFrame frame) {
                onFrame(frame);
            }
        } catch (RuntimeException ex) {
            failed("upstream login: " + ex);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onSslResponse(boolean willing) {
        if (!willing) {
            if (UpstreamTls.requiresTls(target.sslMode())) {
                failed("upstream does not accept TLS but sslmode=" + target.sslMode());
                return;
            }
            sendStartup();
            return;
        }
        SslContext context = UpstreamTls.context(target.sslMode());
        SslHandler handler = context.newHandler(session.upstream.alloc(), target.host(), target.port());
        session.upstream.pipeline().addFirst(PgSession.SSL, handler);
        handler.handshakeFuture().addListener(future -> {
            if (!future.isSuccess()) {
                failed("TLS handshake with upstream failed: " + future.cause());
                return;
            }
            sendStartup();
            session.upstream.read();
        });
    }

    /** Everything the StartupMessage carries (also part of the key of a reusable upstream connection). */
    static Map<String, String> startupParameters(String version, Identity identity, Target target,
            Map<String, String> clientParameters) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", target.username());
        parameters.put("database", target.databaseName());
        parameters.putAll(StartupParameters.forwarded(clientParameters));
        parameters.put("application_name", StartupParameters.applicationName(version, identity.username(),
                clientParameters.get("application_name")));
        return parameters;
    }

    private void sendStartup() {
        session.upstream.writeAndFlush(PgMessages.startupMessage(session.upstream.alloc(), startupParameters));
    }

    /** The upstream's ParameterStatus set as the client sees it: its own application_name, not DBBat's tag. */
    static Map<String, String> clientView(Map<String, String> upstream, Map<String, String> clientParameters) {
        Map<String, String> result = new LinkedHashMap<>(upstream);
        if (result.containsKey("application_name")) {
            String original = clientParameters.get("application_name");
            result.put("application_name", original == null ? "" : original);
        }
        return result;
    }

    private void onFrame(PgFrame frame) {
        ByteBuf body = frame.body();
        switch (frame.type()) {
            case 'R' -> onAuthentication(body);
            case 'S' -> {
                Map.Entry<String, String> status = BackendMessages.parameterStatus(body, StandardCharsets.UTF_8);
                parameterStatus.put(status.getKey(), status.getValue());
            }
            case 'K' -> {
                processId = body.getInt(body.readerIndex());
                secret = body.getInt(body.readerIndex() + 4);
            }
            case 'E' -> onError(ErrorFields.decode(body, StandardCharsets.UTF_8));
            case 'Z' -> onReady(BackendMessages.transactionStatus(body));
            default -> LOG.trace("[{}] upstream login message {} ignored", session.id, (char) frame.type());
        }
    }

    private void onAuthentication(ByteBuf body) {
        int code = body.readInt();
        Channel upstream = session.upstream;
        switch (code) {
            case 0 -> LOG.debug("[{}] upstream authenticated", session.id);
            case 3 -> upstream.writeAndFlush(PgMessages.password(upstream.alloc(), cstring(target.password())));
            case 5 -> {
                byte[] salt = new byte[4];
                body.readBytes(salt);
                String response = Md5Password.response(target.username(), target.password(), salt);
                upstream.writeAndFlush(PgMessages.password(upstream.alloc(), cstring(response)));
            }
            case 10 -> {
                List<String> mechanisms = new ArrayList<>();
                while (body.isReadable()) {
                    String each = ByteBufs.readCString(body);
                    if (each.isEmpty()) {
                        break;
                    }
                    mechanisms.add(each);
                }
                if (!mechanisms.contains(ScramServerExchange.MECHANISM)) {
                    failed("upstream offers no supported SASL mechanism: " + mechanisms);
                    return;
                }
                scram = new ScramClientExchange(target.password());
                upstream.writeAndFlush(PgMessages.saslInitialResponse(upstream.alloc(), ScramServerExchange.MECHANISM,
                        scram.clientFirst().getBytes(StandardCharsets.UTF_8)));
            }
            case 11 -> {
                String clientFinal = scram.clientFinal(body.toString(StandardCharsets.UTF_8));
                upstream.writeAndFlush(PgMessages.password(upstream.alloc(),
                        clientFinal.getBytes(StandardCharsets.UTF_8)));
            }
            case 12 -> {
                if (!scram.serverFinalValid(body.toString(StandardCharsets.UTF_8))) {
                    failed("upstream SCRAM server signature is invalid");
                }
            }
            default -> failed("unsupported upstream authentication method " + code);
        }
    }

    private static byte[] cstring(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, result, 0, bytes.length);
        return result;
    }

    private void onError(ErrorFields error) {
        String state = error.sqlState();
        LOG.debug("[{}] upstream refused login: {} {}", session.id, state, error.message());
        if (state.startsWith("28")) {
            finish();
            session.fatal("28000", "upstream rejected DBBat's stored credentials for \"" + target.name() + "\"",
                    null, CloseReason.of(CloseReason.Kind.ERROR, "upstream auth failed: " + error.message()));
            return;
        }
        finish();
        session.fatal("08006", "could not connect to upstream database \"" + target.name() + "\"",
                error.message(), CloseReason.of(CloseReason.Kind.ERROR, "upstream refused: " + error.message()));
    }

    private void onReady(byte status) {
        if (grant.readOnly() && !readOnlySent) {
            readOnlySent = true;
            session.upstream.writeAndFlush(PgMessages.query(session.upstream.alloc(), READ_ONLY_SQL));
            return;
        }
        finish();
        session.upstreamParameters = parameterStatus;
        session.upstreamReady(identity, target, grant, clientView(parameterStatus, clientParameters), processId,
                secret, status);
    }

    private void finish() {
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /** The upstream could not be reached or logged in to. */
    void failed(String detail) {
        if (done || session.state != PgSession.State.CONNECTING) {
            return;
        }
        finish();
        LOG.debug("[{}] upstream login failed: {}", session.id, detail);
        session.fatal("08006", "could not connect to upstream database \"" + target.name() + "\"", null,
                CloseReason.of(CloseReason.Kind.ERROR, detail));
    }
}
