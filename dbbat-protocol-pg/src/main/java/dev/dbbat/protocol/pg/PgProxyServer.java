package dev.dbbat.protocol.pg;

import dev.dbbat.core.spi.ClientAuthenticator;
import dev.dbbat.core.spi.SessionInterceptor;
import dev.dbbat.core.spi.TargetResolver;
import dev.dbbat.protocol.pg.session.PgSession;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ready-made PostgreSQL proxy listener: a Netty server with {@link PgProxyInitializer}.
 *
 * <pre>{@code
 * PgProxyServer server = PgProxyServer.builder()
 *         .config(PgProxyConfig.defaults())
 *         .authenticator(authenticator).resolver(resolver).interceptor(interceptor)
 *         .bind(new InetSocketAddress("127.0.0.1", 5434))
 *         .build();
 * InetSocketAddress bound = server.start();
 * ...
 * server.close();
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} blocks until bound and {@link #close()} until closed: call them from your own
 * thread, never from an event loop. Without {@link Builder#eventLoopGroup} the server owns its group and shuts it
 * down on close: native epoll where it loads (Linux x86-64), NIO otherwise or when the system property
 * {@code dbbat.pg.transport=nio} is set, with one event loop per two available processors (system property
 * {@code dbbat.pg.eventLoops} overrides) on threads named {@code dbbat-pg-*}; an epoll loop serving a single active
 * session polls for up to 50 us before it sleeps ({@code dbbat.pg.spinMicros}, 0 turns it off). A group you pass in
 * stays yours and runs NIO channels.
 */
public final class PgProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgProxyServer.class);
    /** Native epoll: fewer syscalls and allocations per read and write than the JDK selector. */
    static final boolean NATIVE_EPOLL = !"nio".equals(System.getProperty("dbbat.pg.transport"))
            && Epoll.isAvailable();

    /**
     * Netty 4.2's default (adaptive) allocator runs in a low-memory mode when the JVM's maximum heap is 512 MiB or
     * less (DBBat's default): every buffer above ~16 KiB, so every socket read of a large result, is then a fresh,
     * zeroed {@code ByteBuffer.allocateDirect} with a cleaner. The pooled allocator serves them from its arenas.
     * Sessions' upstream channels use their client channel's allocator.
     */
    static final PooledByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private final Builder settings;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ChannelGroup channels = new DefaultChannelGroup("dbbat-pg", GlobalEventExecutor.INSTANCE);
    private Channel listener;
    private PgProxyInitializer sessions;
    private boolean closed;

    private PgProxyServer(Builder settings) {
        this.settings = settings;
        this.ownsGroup = settings.group == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(eventLoops(),
                new DefaultThreadFactory("dbbat-pg"), ioHandlerFactory()) : settings.group;
    }

    /**
     * One loop per two processors (at least one): a session's client and upstream channels share a loop, and much of a
     * relayed message's cost is the kernel's socket work, done on the sending thread and in the peer processes (client,
     * database) that need the other cores. Measured on two cores with pgbench select-only at 8 clients: one loop used
     * 20-26 us of proxy CPU per transaction against 22-30 us with two (fewer epoll wake-ups and context switches);
     * Netty's default is two loops per core.
     */
    static int eventLoops() {
        return Integer.getInteger("dbbat.pg.eventLoops",
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * How long an epoll loop serving a single active session polls before it sleeps ({@link SpinThenBlockStrategy}):
     * 50 us by default, system property {@code dbbat.pg.spinMicros} (0 turns it off). Measured on two cores with
     * pgbench select-only at 1 client: up to 30 % more transactions per second (better in 9 of 11 alternating rounds)
     * for 30-50 us more proxy CPU per transaction.
     */
    static long spinMicros() {
        return Long.getLong("dbbat.pg.spinMicros", 50);
    }

    private static IoHandlerFactory ioHandlerFactory() {
        long spin = spinMicros();
        if (NATIVE_EPOLL) {
            return spin > 0 ? EpollIoHandler.newFactory(0, SpinThenBlockStrategy.factory(spin * 1000))
                    : EpollIoHandler.newFactory();
        }
        return NioIoHandler.newFactory();
    }

    private Class<? extends ServerChannel> serverChannelClass() {
        return ownsGroup && NATIVE_EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listener and returns the bound address (useful with port 0). */
    public synchronized InetSocketAddress start() throws InterruptedException {
        if (listener != null || closed) {
            throw new IllegalStateException("already started or closed");
        }
        PgProxyInitializer sessions = this.sessions = new PgProxyInitializer(settings.config, settings.authenticator,
                settings.resolver, settings.interceptor);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childHandler(new io.netty.channel.ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        channel.pipeline().addLast(sessions);
                    }
                });
        listener = bootstrap.bind(settings.address).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        String loops = (NATIVE_EPOLL ? "epoll, spin " + spinMicros() + " us" : "nio") + ", " + eventLoops()
                + " event loops";
        LOG.info("PostgreSQL proxy listening on {} ({})", bound, ownsGroup ? loops : "caller's event loops");
        return bound;
    }

    /**
     * Idempotent. Stops listening, ends every session with {@code FATAL 57P01} (their interceptors get
     * {@code onClose}) and
     * releases the loops.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        if (listener != null) {
            listener.close().sync();
        }
        if (sessions != null) {
            sessions.closeUpstreams(); // first: sessions that end now must not park their upstream
        }
        channels.forEach(PgSession::shutdown);
        channels.newCloseFuture().await(5, TimeUnit.SECONDS);
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (sessions != null) {
            sessions.closeUpstreams(); // again: a session that ended just before the first call may have parked one
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** Collects the server's settings. Not thread-safe. */
    public static final class Builder {
        private PgProxyConfig config = PgProxyConfig.defaults();
        private ClientAuthenticator authenticator;
        private TargetResolver resolver;
        private SessionInterceptor interceptor = new SessionInterceptor() {};
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        private EventLoopGroup group;

        private Builder() {}

        public Builder config(PgProxyConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        public Builder authenticator(ClientAuthenticator value) {
            this.authenticator = Objects.requireNonNull(value, "authenticator");
            return this;
        }

        public Builder resolver(TargetResolver value) {
            this.resolver = Objects.requireNonNull(value, "resolver");
            return this;
        }

        public Builder interceptor(SessionInterceptor value) {
            this.interceptor = Objects.requireNonNull(value, "interceptor");
            return this;
        }

        public Builder bind(InetSocketAddress value) {
            this.address = Objects.requireNonNull(value, "address");
            return this;
        }

        /** Runs on this group (NIO) instead of a group of the server's own; the caller shuts it down. */
        public Builder eventLoopGroup(EventLoopGroup value) {
            this.group = Objects.requireNonNull(value, "group");
            return this;
        }

        public PgProxyServer build() {
            Objects.requireNonNull(authenticator, "authenticator");
            Objects.requireNonNull(resolver, "resolver");
            return new PgProxyServer(this);
        }
    }
}
