package dev.dbbat.protocol.pg;

import dev.dbbat.core.spi.ClientAuthenticator;
import dev.dbbat.core.spi.SessionInterceptor;
import dev.dbbat.core.spi.TargetResolver;
import dev.dbbat.protocol.pg.session.PgSession;
import dev.dbbat.protocol.pg.session.SessionContext;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * Sets up one accepted client connection as a PostgreSQL proxy session. Put it in your own {@code ServerBootstrap}
 * as the child handler; {@link PgProxyServer} does exactly that.
 *
 * <p>Sharable and thread-safe: it holds only the immutable settings and SPI implementations shared by all sessions.
 * Each session's upstream connection is opened on the accepted channel's event loop; the SPI implementations are
 * called from event loops and must not block (see their Javadoc). The initializer sets {@code AUTO_READ=false} on
 * the channel itself.
 */
@ChannelHandler.Sharable
public final class PgProxyInitializer extends ChannelInitializer<SocketChannel> {
    private final SessionContext context;

    /**
     * @param config listener settings
     * @param authenticator verifies DBBat users (passwords, API keys, SCRAM material)
     * @param resolver maps (user, database name) to an upstream and a grant
     * @param interceptor policy and logging hooks; combine several with
     *     {@link dev.dbbat.core.spi.SessionInterceptors#chain}
     */
    public PgProxyInitializer(PgProxyConfig config, ClientAuthenticator authenticator, TargetResolver resolver,
            SessionInterceptor interceptor) {
        this.context = SessionContext.create(config, authenticator, resolver, interceptor);
    }

    /**
     * Closes the upstream connections kept for reuse (see {@link PgProxyConfig.UpstreamReuse}); sessions still open
     * close their upstream when they end. Call when the listener stops. Any thread.
     */
    public void closeUpstreams() {
        context.closeUpstreams();
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        PgSession.install(channel, context);
    }
}
