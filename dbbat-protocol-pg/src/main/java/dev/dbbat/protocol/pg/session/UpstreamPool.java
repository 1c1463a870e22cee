package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.Target;
import dev.dbbat.protocol.pg.PgProxyConfig;
import dev.dbbat.protocol.pg.codec.PgBackendDecoder;
import dev.dbbat.protocol.pg.message.BackendMessages;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgMessages;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream connections kept across client sessions, as pgbouncer's session mode does: a session that ends cleanly
 * (client Terminate or disconnect) while its upstream is idle outside a transaction hands the upstream back; the pool
 * sends {@code DISCARD ALL} (plus the read-only {@code SET} for read-only grants, which {@code DISCARD ALL} resets)
 * and, on success, parks it. The next session with the same {@link Key} takes it instead of connecting and logging
 * in again: a fresh backend and a SCRAM login cost the upstream about 3 ms of CPU, the reset about 0.1 ms.
 *
 * <p>Threading: parked connections are only handed to sessions on their own event loop (a session's client and
 * upstream channels share a loop, which the relay relies on), so each loop's idle lists are touched by that loop only;
 * the totals are atomic and {@link #close()} may be called from any thread.
 */
final class UpstreamPool {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);
    static final String HANDLER = "pg-upstream";
    private static final String READ_ONLY_SQL = "SET SESSION default_transaction_read_only = on";

    /**
     * What makes a pooled upstream indistinguishable from a fresh login: where it goes, as whom (the credential as a
     * SHA-256 digest, never the secret itself), over which TLS mode, every startup parameter sent, and whether the
     * session was made read-only. {@link #toString()} leaves the digest out.
     */
    record Key(String host, int port, String database, String user, String credentialDigest, String sslMode,
            boolean readOnly, Map<String, String> startupParameters) {
        @Override
        public String toString() {
            return user + "@" + host + ":" + port + "/" + database + (readOnly ? " (read-only)" : "");
        }
    }

    static Key key(Target target, boolean readOnly, Map<String, String> startupParameters) {
        return new Key(target.host(), target.port(), target.databaseName(), target.username(),
                digest(target.password()), target.sslMode(), readOnly, Map.copyOf(startupParameters));
    }

    private static String digest(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return Base64.getEncoder().encodeToString(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A logged-in upstream connection and what its client needs to see: ParameterStatus set and BackendKeyData. */
    static final class Pooled {
        final Key key;
        final Channel channel;
        final Map<String, String> parameters;
        final int processId;
        final int secret;
        private ScheduledFuture<?> timer;
        private boolean parked;

        Pooled(Key key, Channel channel, Map<String, String> parameters, int processId, int secret) {
            this.key = key;
            this.channel = channel;
            this.parameters = new LinkedHashMap<>(parameters);
            this.processId = processId;
            this.secret = secret;
        }
    }

    private final PgProxyConfig.UpstreamReuse settings;
    private final Map<EventLoop, Map<Key, ArrayDeque<Pooled>>> loops = new ConcurrentHashMap<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final ChannelGroup all = new DefaultChannelGroup("dbbat-pg-upstreams", GlobalEventExecutor.INSTANCE);
    private volatile boolean closed;

    UpstreamPool(PgProxyConfig.UpstreamReuse settings) {
        this.settings = settings;
    }

    /** Parked connections right now (all loops). */
    int idleCount() {
        return idle.get();
    }

    /** A parked connection for {@code key} on {@code loop}, or null. Call on {@code loop}. */
    Pooled take(Key key, EventLoop loop) {
        Map<Key, ArrayDeque<Pooled>> byKey = loops.get(loop);
        ArrayDeque<Pooled> list = byKey == null ? null : byKey.get(key);
        while (list != null && !list.isEmpty()) {
            Pooled each = list.pollLast(); // the most recently used: the others can time out
            unpark(each);
            if (each.channel.isActive()) {
                each.channel.config().setAutoRead(false);
                return each;
            }
            each.channel.close();
        }
        return null;
    }

    private void unpark(Pooled each) {
        if (each.parked) {
            each.parked = false;
            idle.decrementAndGet();
        }
        if (each.timer != null) {
            each.timer.cancel(false);
            each.timer = null;
        }
    }

    /**
     * Takes back the upstream of a session that ended cleanly: resets it and parks it, or closes it when it is not
     * clean, the pool is full or closed. Call on the channel's loop; the session no longer uses the channel.
     */
    void release(Pooled connection) {
        Channel channel = connection.channel;
        if (closed || !channel.isActive()) {
            terminate(channel);
            return;
        }
        // the resetter reads messages one by one, whatever modes the session's relay chose
        PgBackendDecoder decoder = (PgBackendDecoder) channel.pipeline().get(PgSession.DECODER);
        decoder.wholeReads(false);
        decoder.coalesce(false);
        Resetter resetter = new Resetter(connection);
        channel.pipeline().replace(HANDLER, HANDLER, resetter);
        resetter.start();
    }

    private void park(Pooled connection) {
        Channel channel = connection.channel;
        EventLoop loop = channel.eventLoop();
        Map<Key, ArrayDeque<Pooled>> byKey = loops.computeIfAbsent(loop, ignored -> new HashMap<>());
        ArrayDeque<Pooled> list = byKey.computeIfAbsent(connection.key, ignored -> new ArrayDeque<>());
        if (closed || list.size() >= settings.maxIdlePerKey()) {
            LOG.debug("upstream {} not kept: pool full for its key or closed", connection.key);
            terminate(channel);
            return;
        }
        if (idle.incrementAndGet() > settings.maxIdle()) {
            idle.decrementAndGet();
            LOG.debug("upstream {} not kept: pool full", connection.key);
            terminate(channel);
            return;
        }
        connection.parked = true;
        list.addLast(connection);
        all.add(channel);
        long timeout = settings.idleTimeout().toMillis();
        connection.timer = loop.schedule(() -> discard(connection, "idle timeout"), timeout, TimeUnit.MILLISECONDS);
        if (closed) { // close() ran between the check and the add: it may have missed this channel
            discard(connection, "pool closed");
        }
    }

    /** Removes a parked connection (its server closed it, sent something, or it idled out) and closes it. */
    private void discard(Pooled connection, String why) {
        Map<Key, ArrayDeque<Pooled>> byKey = loops.get(connection.channel.eventLoop());
        ArrayDeque<Pooled> list = byKey == null ? null : byKey.get(connection.key);
        if (list != null && list.remove(connection)) {
            LOG.debug("parked upstream {} closed: {}", connection.key, why);
            unpark(connection);
            if (list.isEmpty()) {
                byKey.remove(connection.key);
            }
        }
        terminate(connection.channel);
    }

    private static void terminate(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(PgMessages.terminate(channel.alloc())).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Closes every parked connection; later releases close theirs. Any thread. */
    void close() {
        closed = true;
        for (Map.Entry<EventLoop, Map<Key, ArrayDeque<Pooled>>> each : loops.entrySet()) {
            if (each.getKey().isShuttingDown()) {
                continue;
            }
            each.getKey().execute(() -> {
                for (ArrayDeque<Pooled> list : List.copyOf(each.getValue().values())) {
                    for (Pooled pooled : list.toArray(Pooled[]::new)) {
                        discard(pooled, "pool closed");
                    }
                }
            });
        }
        all.close();
    }

    /**
     * Runs {@code DISCARD ALL} (and the read-only {@code SET}) on a released upstream, then watches the parked
     * connection: anything the server sends while parked (a FATAL before it goes away) or its close discards it.
     */
    private final class Resetter extends ChannelInboundHandlerAdapter {
        private final Pooled connection;
        private int awaiting;
        private boolean failed;
        private ScheduledFuture<?> timeout;

        Resetter(Pooled connection) {
            this.connection = connection;
        }

        void start() {
            Channel channel = connection.channel;
            awaiting = connection.key.readOnly() ? 2 : 1;
            channel.write(PgMessages.query(channel.alloc(), "DISCARD ALL"));
            if (connection.key.readOnly()) {
                channel.write(PgMessages.query(channel.alloc(), READ_ONLY_SQL));
            }
            channel.flush();
            timeout = channel.eventLoop().schedule(() -> fail("reset timed out"), 10, TimeUnit.SECONDS);
            channel.config().setAutoRead(true);
        }

        private void fail(String why) {
            if (failed) {
                return;
            }
            failed = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (connection.parked) {
                discard(connection, why);
            } else {
                LOG.debug("upstream {} not kept: {}", connection.key, why);
                terminate(connection.channel);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (failed) {
                    return;
                }
                if (awaiting == 0 || !(msg instanceof PgFrame frame)) {
                    fail("upstream spoke while parked");
                    return;
                }
                switch (frame.type()) {
                    case 'S' -> {
                        Map.Entry<String, String> status = BackendMessages.parameterStatus(frame.body(),
                                StandardCharsets.UTF_8);
                        connection.parameters.put(status.getKey(), status.getValue());
                    }
                    case 'C', 'N', 'A' -> {
                        // CommandComplete of the reset; a notice or a notification left over from the last client
                    }
                    case 'Z' -> {
                        if (BackendMessages.transactionStatus(frame.body()) != 'I') {
                            fail("not idle after reset");
                        } else if (--awaiting == 0) {
                            timeout.cancel(false);
                            park(connection);
                        }
                    }
                    default -> fail("unexpected reply to the reset: " + (char) frame.type());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("upstream closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause.toString());
        }
    }
}
