package dev.dbbat.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS handshake between a JDK client engine (as pgjdbc's {@code sslmode=require}: any certificate accepted) and an
 * engine of the server context under test, through memory buffers: the real TLS implementations, no sockets.
 */
final class InMemoryHandshake {
    private InMemoryHandshake() {}

    /** The negotiated protocol, e.g. {@code TLSv1.3}; throws when the handshake fails. */
    static String run(SslContext server, String clientProtocol) throws Exception {
        SSLContext jdk = SSLContext.getInstance("TLS");
        jdk.init(null, new TrustManager[] {new AcceptAll()}, null);
        SSLEngine client = jdk.createSSLEngine("localhost", 5432);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {clientProtocol});
        SSLEngine engine = server.newEngine(ByteBufAllocator.DEFAULT);
        try {
            ByteBuffer toServer = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer toClient = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer app = ByteBuffer.allocateDirect(1 << 16);
            client.beginHandshake();
            engine.beginHandshake();
            boolean clientDone = false;
            boolean serverDone = false;
            for (int step = 0; step < 50; step++) {
                clientDone |= step(client, toServer, toClient, app);
                serverDone |= step(engine, toClient, toServer, app);
                if (clientDone && serverDone) {
                    if (!client.getSession().getProtocol().equals(engine.getSession().getProtocol())) {
                        throw new IllegalStateException("protocols differ");
                    }
                    return engine.getSession().getProtocol();
                }
            }
            throw new SSLException("handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                    + engine.getHandshakeStatus());
        } finally {
            ReferenceCountUtil.release(engine);
        }
    }

    /** Reads what the peer sent, writes what this side has to send; true when this side's handshake finished. */
    private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        boolean finished = false;
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(in, app);
            finished |= result.getHandshakeStatus() == HandshakeStatus.FINISHED;
            runTasks(engine);
            app.clear();
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
            // the OpenSSL engine completes its state change on the next call, as SslHandler makes it
            finished |= engine.unwrap(ByteBuffer.allocate(0), app).getHandshakeStatus() == HandshakeStatus.FINISHED;
            app.clear();
        }
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
            finished |= result.getHandshakeStatus() == HandshakeStatus.FINISHED;
            runTasks(engine);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + result);
            }
        }
        return finished;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
