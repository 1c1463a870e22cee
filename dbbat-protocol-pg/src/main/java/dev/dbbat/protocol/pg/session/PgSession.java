package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.UuidV7;
import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.SessionInfo;
import dev.dbbat.core.event.SessionStats;
import dev.dbbat.core.event.Target;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.core.spi.SessionHandle;
import dev.dbbat.protocol.pg.codec.PgFrameDecoder;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgFrameRun;
import dev.dbbat.protocol.pg.message.PgMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied client connection: login, upstream connection, relay and close.
 *
 * <p>Threading: the upstream channel is created on the client channel's event loop, so every field is touched by
 * that one thread only and needs no lock or {@code volatile} (except {@link #closed}, read by {@link #isOpen()} from
 * any thread). Calls that arrive from other threads ({@link #terminate}, async SPI completions) hop back with
 * {@code eventLoop().execute}.
 */
public final class PgSession implements SessionHandle {
    private static final Logger LOG = LoggerFactory.getLogger(PgSession.class);
    static final String DECODER = "pg-decoder";
    static final String COUNTER = "pg-wire-counter";
    static final String SSL = "ssl";

    /** Where the session is in its life. */
    enum State {
        LOGIN,
        CONNECTING,
        AUTHORIZING,
        RELAY,
        CLOSED
    }

    final SessionContext context;
    final Channel client;
    final String id;
    final SessionStats stats = new SessionStats();
    final Instant acceptedAt = Instant.now();
    final PgFrameDecoder clientDecoder;
    final ClientLogin login;
    Channel upstream;
    UpstreamLogin upstreamLogin;
    Relay relay;
    /** The relay's writes to each side (set with {@link #relay}). */
    Coalescer clientOut;
    Coalescer upstreamOut;
    State state = State.LOGIN;
    SessionInfo info;
    Charset charset = StandardCharsets.UTF_8;
    byte transactionStatus = 'I';
    boolean tlsActive;
    private boolean connectCalled;
    private volatile boolean closed;
    private int[] clientKey;
    private CancelRegistry.CancelTarget cancelTarget;
    private ScheduledFuture<?> grantTimer;
    private ScheduledFuture<?> loginTimer;
    /** Fires when the session may have been idle for the idle timeout; see {@link #idleCheck}. */
    private ScheduledFuture<?> idleTimer;
    /** {@link System#nanoTime()} of the last flush of bytes to the client (reads: {@link SessionStats}). */
    private long lastWriteNanos = System.nanoTime();
    /** Row back-pressure: the upstream is not read until the interceptors' stage completes. */
    private boolean upstreamPaused;
    /** Statement back-pressure: the client is not read until the interceptors' stage completes. */
    private boolean clientPaused;
    /** Set when upstream reuse is on: what the upstream was logged in with, and its ParameterStatus set. */
    UpstreamPool.Key upstreamKey;
    Map<String, String> upstreamParameters;
    private int upstreamProcessId;
    private int upstreamSecret;

    private PgSession(SessionContext context, Channel client) {
        this.context = context;
        this.client = client;
        this.id = "pg-" + client.id().asShortText();
        this.clientDecoder = new PgFrameDecoder(PgFrameDecoder.Mode.STARTUP, context.config.maxStartupLength(),
                context.config.maxStartupLength());
        this.login = new ClientLogin(this);
    }

    /** Builds the client pipeline of a freshly accepted channel. Called from {@code initChannel}. */
    public static void install(Channel channel, SessionContext context) {
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024,
                64 * 1024));
        PgSession session = new PgSession(context, channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(COUNTER, new WireCounter(session));
        pipeline.addLast(DECODER, session.clientDecoder);
        pipeline.addLast("pg-client", new ClientHandler(session));
        long idle = context.config.idleTimeout().toNanos();
        if (idle > 0) {
            session.idleTimer = channel.eventLoop().schedule(session::idleCheck, idle, TimeUnit.NANOSECONDS);
        }
        // cancelled once logged in or ended: a pending task keeps the whole session (both channels) reachable, and
        // at a few hundred connections per second that was ~100 MB of heap held for the login timeout's 60 s
        session.loginTimer = channel.eventLoop().schedule(session::loginDeadline,
                context.config.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loginDeadline() {
        if (state == State.LOGIN || state == State.CONNECTING || state == State.AUTHORIZING) {
            fatal("08006", "login timed out", null, CloseReason.of(CloseReason.Kind.IDLE_TIMEOUT, "login timed out"));
        }
    }

    /** Event fired on a client channel to end its session because the listener is shutting down. */
    static final Object SHUTDOWN = new Object();

    /** Asks the session of {@code channel} to end with a FATAL "administrator command". Any thread. */
    public static void shutdown(Channel channel) {
        channel.pipeline().fireUserEventTriggered(SHUTDOWN);
    }

    void shutdownRequested() {
        end(CloseReason.of(CloseReason.Kind.TERMINATED, "proxy shutting down"),
                fatalMessage("57P01", "terminating connection due to administrator command", null));
    }

    // ---- login ---------------------------------------------------------------------------------------------------

    void connectUpstream(Identity identity, Target target, GrantInfo grant, Map<String, String> clientParameters) {
        state = State.CONNECTING;
        Map<String, String> startup = UpstreamLogin.startupParameters(context.config.version(), identity, target,
                clientParameters);
        if (context.pool != null) {
            upstreamKey = UpstreamPool.key(target, grant.readOnly(), startup);
            UpstreamPool.Pooled kept = context.pool.take(upstreamKey, client.eventLoop());
            if (kept != null) {
                LOG.debug("[{}] reusing an upstream connection to {}", id, target);
                upstream = kept.channel;
                upstream.pipeline().replace(UpstreamPool.HANDLER, UpstreamPool.HANDLER, new UpstreamHandler(this));
                upstreamParameters = kept.parameters;
                upstreamReady(identity, target, grant, UpstreamLogin.clientView(kept.parameters, clientParameters),
                        kept.processId, kept.secret, (byte) 'I');
                return;
            }
        }
        upstreamLogin = new UpstreamLogin(this, identity, target, grant, clientParameters, startup);
        upstreamLogin.start();
    }

    /** The upstream is logged in: ask the interceptors, then let the client in. */
    void upstreamReady(Identity identity, Target target, GrantInfo grant, Map<String, String> parameterStatus,
            int processId, int secret, byte status) {
        transactionStatus = status;
        upstreamProcessId = processId;
        upstreamSecret = secret;
        cancelTarget = new CancelRegistry.CancelTarget(id, target.host(), target.port(), processId, secret);
        info = new SessionInfo(UuidV7.next(), id, Protocol.POSTGRESQL, identity, target, grant,
                (InetSocketAddress) client.remoteAddress(), acceptedAt, login.attributes(), stats, this);
        clientOut = new Coalescer(client);
        upstreamOut = new Coalescer(upstream);
        relay = new Relay(this, grant);
        state = State.AUTHORIZING;
        connectCalled = true;
        context.interceptor.onConnect(info).whenComplete((decision, ex) -> client.eventLoop().execute(() -> {
            if (state != State.AUTHORIZING || !client.isActive()) {
                return;
            }
            Decision result = ex != null ? Decision.deny(Decision.INSUFFICIENT_PRIVILEGE, "session refused") : decision;
            if (!result.proceeds()) {
                LOG.debug("[{}] session refused by policy: {}", id, result.message());
                fatal(sqlStateOr(result.sqlState(), Decision.INSUFFICIENT_PRIVILEGE), result.message(), null,
                        CloseReason.of(CloseReason.Kind.TERMINATED, "refused at connect: " + result.message()));
                return;
            }
            admit(parameterStatus);
        }));
    }

    private void admit(Map<String, String> parameterStatus) {
        clientKey = context.cancels.register(cancelTarget);
        client.write(PgMessages.authentication(client.alloc(), 0, new byte[0]));
        parameterStatus.forEach((name, value) -> client.write(PgMessages.parameterStatus(client.alloc(), name,
                value)));
        client.write(PgMessages.backendKeyData(client.alloc(), clientKey[0], clientKey[1]));
        client.writeAndFlush(PgMessages.readyForQuery(client.alloc(), transactionStatus));
        state = State.RELAY;
        cancelLoginTimer();
        clientDecoder.maxFrameLength(context.config.maxFrameLength());
        clientDecoder.wholeReads(true);
        scheduleGrantCheck();
        LOG.debug("[{}] session open for {} on {}", id, info.identity().username(), info.target().name());
        readClient();
        upstream.read();
    }

    private void cancelLoginTimer() {
        if (loginTimer != null) {
            loginTimer.cancel(false);
            loginTimer = null;
        }
    }

    private void scheduleGrantCheck() {
        long interval = context.config.grantCheckInterval().toMillis();
        if (interval <= 0) {
            return;
        }
        grantTimer = client.eventLoop().scheduleAtFixedRate(() -> {
            if (state == State.RELAY && !Instant.now().isBefore(info.grant().expiresAt())) {
                end(CloseReason.of(CloseReason.Kind.TERMINATED, "grant expired"),
                        fatalMessage("57P01", "terminating connection: your access grant has expired", null));
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    static String sqlStateOr(String sqlState, String fallback) {
        return sqlState == null || sqlState.isEmpty() ? fallback : sqlState;
    }

    // ---- relay plumbing --------------------------------------------------------------------------------------------

    void clientReadComplete() {
        if (state == State.LOGIN) {
            if (login.wantsInput()) {
                client.read();
            }
            return;
        }
        if (state != State.RELAY) {
            return;
        }
        clientOut.flush();
        upstreamOut.flush();
        if (upstream.isWritable()) {
            readClient();
        }
    }

    void upstreamReadComplete() {
        if (state == State.CONNECTING) {
            if (upstreamLogin.wantsInput()) {
                upstream.read();
            }
            return;
        }
        if (state != State.RELAY) {
            return;
        }
        clientOut.flush();
        if (client.isWritable()) {
            readUpstream();
        }
    }

    void clientWritabilityChanged() {
        if (state == State.RELAY && client.isWritable()) {
            readUpstream();
        }
    }

    void upstreamWritabilityChanged() {
        if (state == State.RELAY && upstream.isWritable()) {
            readClient();
        }
    }

    // ---- flow control: the interceptors' back-pressure ------------------------------------------------------------
    //
    // Every read of a relaying session goes through readUpstream / readClient. While a back-pressure stage is
    // pending the session simply does not call read() on that channel (AUTO_READ is off): the kernel buffers fill and
    // the peer waits, nothing accumulates here, and the event loop is never blocked. The stage's completion (on any
    // thread, typically the store writer's) hops back to this session's loop to read again.

    /** Reads more from the upstream, unless captured rows of the last read made an interceptor ask to wait. */
    void readUpstream() {
        if (upstreamPaused) {
            return;
        }
        if (relay.capture.takeDelivered() && paused(context.interceptor.rowBackpressure(info), true)) {
            return;
        }
        upstream.read();
    }

    /** Reads more from the client, unless an interceptor asks to wait (statement back-pressure). */
    void readClient() {
        if (clientPaused) {
            return;
        }
        if (paused(context.interceptor.statementBackpressure(info), false)) {
            return;
        }
        client.read();
    }

    /** Whether {@code wait} is pending; if so the upstream (rows) or client side stays unread until it completes. */
    private boolean paused(CompletionStage<?> wait, boolean rows) {
        if (wait == null) {
            return false;
        }
        CompletableFuture<?> future = wait.toCompletableFuture();
        if (future.isDone()) {
            return false;
        }
        if (rows) {
            upstreamPaused = true;
        } else {
            clientPaused = true;
        }
        LOG.trace("[{}] {} reads paused by back-pressure", id, rows ? "upstream" : "client");
        future.whenComplete((ignored, error) -> client.eventLoop().execute(() -> resume(rows)));
        return true;
    }

    private void resume(boolean rows) {
        if (rows) {
            upstreamPaused = false;
        } else {
            clientPaused = false;
        }
        if (state != State.RELAY) {
            return;
        }
        LOG.trace("[{}] {} reads resumed", id, rows ? "upstream" : "client");
        if (rows) {
            if (client.isWritable()) {
                upstream.read();
            }
        } else if (upstream.isWritable()) {
            readClient();
        }
    }

    void fromClient(Object message) {
        switch (state) {
            case LOGIN -> login.onMessage(message);
            case RELAY -> {
                if (message instanceof PgFrameRun run) {
                    relay.fromClient(run);
                } else {
                    relay.fromClient((PgFrame) message);
                }
            }
            case CLOSED -> ReferenceCountUtil.release(message);
            default -> {
                // nothing may come before AuthenticationOk: a client that pipelines here is out of protocol
                ReferenceCountUtil.release(message);
                fatal("08P01", "unexpected message before the login completed", null,
                        CloseReason.of(CloseReason.Kind.PROTOCOL_ERROR, "message during upstream login"));
            }
        }
    }

    void fromUpstream(Object message) {
        switch (state) {
            case CONNECTING -> upstreamLogin.onMessage(message);
            case RELAY -> {
                if (message instanceof PgFrameRun run) {
                    relay.fromUpstream(run);
                } else {
                    relay.fromUpstream((PgFrame) message);
                }
            }
            default -> ReferenceCountUtil.release(message);
        }
    }

    /** Bytes crossed the client socket; asks the interceptors once the session is open. */
    void wireBytes(long bytes, boolean fromClient) {
        if (fromClient) {
            stats.addBytesFromClient(bytes);
        } else {
            stats.addBytesToClient(bytes);
            lastWriteNanos = System.nanoTime();
        }
        if (state != State.RELAY || bytes == 0) {
            return;
        }
        Decision decision = context.interceptor.onBytes(info, bytes);
        if (!decision.proceeds()) {
            // never act inside a write or read callback: hop once through the loop
            client.eventLoop().execute(() -> relay.bytesDenied(decision));
        }
    }

    /**
     * The idle timeout (without Netty's {@code IdleStateHandler}, which turns every write's void promise into a real
     * one to watch it complete): one timer per session, armed for the idle timeout after the last byte read from or
     * flushed to the client, re-armed for the rest when there was traffic since. A session with a statement in
     * flight is not idle (a long query may send nothing for a while): it is looked at again a timeout later.
     */
    private void idleCheck() {
        if (state == State.CLOSED) {
            return;
        }
        long timeout = context.config.idleTimeout().toNanos();
        long last = Math.max(stats.lastActivityNanos(), lastWriteNanos);
        long remaining = last + timeout - System.nanoTime();
        if (remaining > 0) {
            idleTimer = client.eventLoop().schedule(this::idleCheck, remaining, TimeUnit.NANOSECONDS);
            return;
        }
        if (state == State.RELAY && !relay.idle()) {
            idleTimer = client.eventLoop().schedule(this::idleCheck, timeout, TimeUnit.NANOSECONDS);
            return;
        }
        end(CloseReason.of(CloseReason.Kind.IDLE_TIMEOUT, "idle for " + context.config.idleTimeout()),
                fatalMessage("57P05", "terminating connection due to idle-session timeout", null));
    }

    /** Asks the upstream to cancel what it is running, as a client's CancelRequest would. */
    void cancelUpstream() {
        if (cancelTarget != null) {
            CancelRegistry.send(cancelTarget, client.eventLoop(), client.getClass());
        }
    }

    // ---- ending -----------------------------------------------------------------------------------------------

    ByteBuf fatalMessage(String sqlState, String message, String detail) {
        return PgMessages.errorResponse(client.alloc(), "FATAL", sqlState, message, detail);
    }

    /** Sends the client a FATAL error and ends the session. */
    void fatal(String sqlState, String message, String detail, CloseReason reason) {
        end(reason, fatalMessage(sqlState, message, detail));
    }

    /** Ends the session once: optional last message to the client, close both sides, onClose if onConnect ran. */
    void end(CloseReason reason, ByteBuf lastMessage) {
        if (state == State.CLOSED) {
            ReferenceCountUtil.release(lastMessage);
            return;
        }
        boolean reusable = reusableAfter(reason);
        if (clientOut != null) {
            // what the relay forwarded before the end goes out first, as it would have without merging
            clientOut.drain();
            upstreamOut.drain();
        }
        state = State.CLOSED;
        closed = true;
        LOG.debug("[{}] session closed: {} {}", id, reason.kind(), reason.detail());
        if (grantTimer != null) {
            grantTimer.cancel(false);
        }
        cancelLoginTimer();
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        if (clientKey != null) {
            context.cancels.unregister(clientKey[0], clientKey[1]);
        }
        if (lastMessage != null && client.isActive()) {
            sendLastAndClose(client, lastMessage);
        } else {
            ReferenceCountUtil.release(lastMessage);
            closeOnFlush(client);
        }
        if (relay != null && !relay.idle()) {
            cancelUpstream(); // free the upstream backend now rather than at its next write
        }
        if (reusable) {
            context.pool.release(new UpstreamPool.Pooled(upstreamKey, upstream, upstreamParameters,
                    upstreamProcessId, upstreamSecret));
        } else if (upstream != null && upstream.isActive()) {
            upstream.writeAndFlush(PgMessages.terminate(upstream.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
        if (relay != null) {
            relay.sessionEnded(reason);
        }
        if (connectCalled) {
            context.interceptor.onClose(info, reason);
        }
    }

    /**
     * Whether the upstream can serve another session after a reset: reuse is on, the client ended the session itself
     * (Terminate or disconnect) while relaying, and the upstream is connected, idle (no result, COPY or batch pending,
     * no result cut), outside any transaction block, and was never sent a cancel (one may still be on its way).
     */
    private boolean reusableAfter(CloseReason reason) {
        return context.pool != null && upstreamKey != null && upstreamParameters != null
                && reason.kind() == CloseReason.Kind.CLIENT_CLOSED && state == State.RELAY
                && relay != null && relay.idle() && relay.cut == null && transactionStatus == 'I'
                && cancelTarget != null && !cancelTarget.sent().get()
                && upstream != null && upstream.isActive();
    }

    /** How long a closing session keeps discarding client input after its last message (see below). */
    static final long CLOSE_DRAIN_MILLIS = 1000;

    /**
     * Sends a session's last message (a FATAL), then half-closes: FIN after the message, and whatever the client
     * still sends is read and discarded until it closes (or {@link #CLOSE_DRAIN_MILLIS}). Closing a socket that has
     * unread input makes the kernel send RST instead of FIN, and a reset can reach the client before it has read the
     * message. Whether input is left unread is a race (how the client's bytes were split into segments, how fast the
     * event loop reads them), so the drain is always done.
     */
    static void sendLastAndClose(Channel channel, ByteBuf lastMessage) {
        channel.writeAndFlush(lastMessage).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
                channel.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, CLOSE_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
                channel.config().setAutoRead(true);
            });
        });
    }

    static void closeOnFlush(Channel channel) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- SessionHandle -------------------------------------------------------------------------------------------

    @Override
    public void terminate(String message) {
        client.eventLoop().execute(() -> end(CloseReason.of(CloseReason.Kind.TERMINATED, message),
                fatalMessage("57P01", message, null)));
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public String toString() {
        return id;
    }
}
