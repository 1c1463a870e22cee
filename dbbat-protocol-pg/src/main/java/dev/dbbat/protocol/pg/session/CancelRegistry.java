package dev.dbbat.protocol.pg.session;

import dev.dbbat.protocol.pg.message.PgMessages;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes CancelRequests. Each session gives its client a random (process id, secret) of our own; this registry maps
 * that key to the upstream address and the upstream's real key, and forwards a cancel on a throw-away connection.
 *
 * <p>Thread-safe: one instance per listener, shared by all its sessions.
 */
public final class CancelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(CancelRegistry.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Where a cancel for one session goes. {@code sent} records that a cancel went (or is going) to the backend: a
     * cancel travels on its own connection and may land after the statement it aimed at, so a backend that was sent
     * one is never reused for another session (see {@link UpstreamPool}).
     */
    record CancelTarget(String sessionId, String host, int port, int processId, int secret,
            java.util.concurrent.atomic.AtomicBoolean sent) {
        CancelTarget(String sessionId, String host, int port, int processId, int secret) {
            this(sessionId, host, port, processId, secret, new java.util.concurrent.atomic.AtomicBoolean());
        }
    }

    private final Map<Long, CancelTarget> targets = new ConcurrentHashMap<>();

    /** Registers a session and returns the key to give its client: {@code [processId, secret]}. */
    int[] register(CancelTarget target) {
        while (true) {
            int processId = RANDOM.nextInt(Integer.MAX_VALUE - 1) + 1;
            int secret = RANDOM.nextInt();
            if (targets.putIfAbsent(key(processId, secret), target) == null) {
                return new int[] {processId, secret};
            }
        }
    }

    void unregister(int processId, int secret) {
        targets.remove(key(processId, secret));
    }

    /** Forwards a client's cancel, when its key is known. Unknown keys are ignored (PostgreSQL does the same). */
    void cancel(int processId, int secret, EventLoop loop, Class<? extends Channel> channelClass) {
        CancelTarget target = targets.get(key(processId, secret));
        if (target == null) {
            LOG.debug("cancel request with an unknown key ignored");
            return;
        }
        send(target, loop, channelClass);
    }

    /** Sends a CancelRequest for {@code target} to its upstream. Returns at once. */
    static void send(CancelTarget target, EventLoop loop, Class<? extends Channel> channelClass) {
        target.sent().set(true);
        new Bootstrap().group(loop).channel(channelClass).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(target.host(), target.port())
                .addListener((ChannelFutureListener) future -> {
                    if (!future.isSuccess()) {
                        LOG.debug("[{}] cancel could not reach upstream", target.sessionId());
                        return;
                    }
                    LOG.debug("[{}] cancel forwarded to upstream", target.sessionId());
                    Channel channel = future.channel();
                    channel.writeAndFlush(PgMessages.cancelRequest(channel.alloc(), target.processId(),
                            target.secret())).addListener(ChannelFutureListener.CLOSE);
                });
    }

    private static long key(int processId, int secret) {
        return ((long) processId << 32) | (secret & 0xFFFFFFFFL);
    }
}
