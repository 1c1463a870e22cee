package dev.dbbat.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's HTTP/1.1 connector and its three timeouts ({@link HttpTimeouts}):
 *
 * <ul>
 *   <li><b>read</b>: a deadline armed when the first bytes of a request arrive and disarmed once the parser has read
 *       the whole request (headers and body). When it fires the connection is closed, so a client trickling its
 *       headers or stalling its body cannot hold a connection (Jetty's own timeouts are inactivity timeouts, which a
 *       trickle defeats);
 *   <li><b>write</b>: Jetty's stream idle timeout while a request is handled (a stalled body read or response write);
 *   <li><b>idle</b>: the connector's idle timeout (keep-alive connections between requests).
 * </ul>
 *
 * <p>The deadline needs a hook into Jetty's HTTP/1 parser, which only {@code org.eclipse.jetty.server.internal}
 * exposes: re-check {@link DeadlineConnection} when upgrading Jetty.
 */
final class HttpListener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

    private HttpListener() {}

    static ServerConnector connector(Server server, HttpConfiguration http, String host, int port,
            HttpTimeouts timeouts) {
        http.setIdleTimeout(timeouts.write().toMillis());
        ServerConnector connector = new ServerConnector(server,
                new DeadlineConnectionFactory(http, timeouts.read().toMillis()));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(timeouts.idle().toMillis());
        return connector;
    }

    private static final class DeadlineConnectionFactory extends HttpConnectionFactory {
        private final long readMillis;

        DeadlineConnectionFactory(HttpConfiguration http, long readMillis) {
            super(http);
            this.readMillis = readMillis;
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            DeadlineConnection connection = new DeadlineConnection(getHttpConfiguration(), connector, endPoint,
                    readMillis);
            connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
            return configure(connection, connector, endPoint);
        }
    }

    /** An HTTP/1 connection whose requests must be read within a deadline. Thread-safe (a private lock). */
    private static final class DeadlineConnection extends HttpConnection {
        private final Scheduler scheduler;
        private final long readMillis;
        private final Object lock = new Object();
        private Scheduler.Task deadline;

        DeadlineConnection(HttpConfiguration http, Connector connector, EndPoint endPoint, long readMillis) {
            super(http, connector, endPoint);
            this.scheduler = connector.getScheduler();
            this.readMillis = readMillis;
        }

        @Override
        public void onFillable() {
            arm();
            super.onFillable();
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new RequestHandler() {
                @Override
                public boolean messageComplete() {
                    disarm();
                    return super.messageComplete();
                }

                @Override
                public void badMessage(HttpException failure) {
                    disarm();
                    super.badMessage(failure);
                }

                @Override
                public void earlyEOF() {
                    disarm();
                    super.earlyEOF();
                }
            };
        }

        @Override
        public void onClose(Throwable cause) {
            disarm();
            super.onClose(cause);
        }

        /** Bytes arrived while no request was being read: a new request starts, its clock starts. */
        private void arm() {
            synchronized (lock) {
                if (deadline == null) {
                    deadline = scheduler.schedule(this::expire, readMillis, TimeUnit.MILLISECONDS);
                }
            }
        }

        private void disarm() {
            synchronized (lock) {
                if (deadline != null) {
                    deadline.cancel();
                    deadline = null;
                }
            }
        }

        private void expire() {
            synchronized (lock) {
                if (deadline == null) {
                    return;
                }
                deadline = null;
            }
            LOG.debug("closing {}: request not read within {} ms", getEndPoint().getRemoteSocketAddress(),
                    readMillis);
            getEndPoint().close(new TimeoutException("request not read within " + readMillis + " ms"));
        }
    }
}
