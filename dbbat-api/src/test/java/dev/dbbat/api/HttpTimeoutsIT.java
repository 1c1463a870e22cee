package dev.dbbat.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbbat.api.testing.ApiHarness;
import dev.dbbat.api.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener's read deadline, write (stream idle) and keep-alive idle timeouts, shortened to stay quick. */
class HttpTimeoutsIT {
    static final Duration READ = Duration.ofSeconds(1);

    @RegisterExtension
    static final ApiHarness API = new ApiHarness("test", config -> config.withHttpTimeouts(
            new HttpTimeouts(READ, Duration.ofSeconds(1), Duration.ofSeconds(30))));

    @Test
    void aClientTricklingItsHeadersIsDisconnected() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            CompletableFuture<Boolean> trickle = CompletableFuture.supplyAsync(() -> trickle(out));
            assertThat(readUntilClosed(socket.getInputStream(), Duration.ofSeconds(5))).doesNotContain("200 OK");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            assertThat(trickle.get(5, TimeUnit.SECONDS)).as("server stopped accepting header bytes").isTrue();
        }
    }

    @Test
    void aClientStallingItsBodyIsDisconnected() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            String answer = readUntilClosed(socket.getInputStream(), Duration.ofSeconds(5));
            assertThat(answer).doesNotContain("200 OK");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
        Thread.sleep(200);
        assertThat(LogCapture.lines()).as("a slow client is not a server error")
                .noneMatch(line -> line.contains("unexpected error"));
    }

    @Test
    void otherRequestsKeepWorkingWhileAClientStalls() throws Exception {
        try (Socket stalled = connect()) {
            stalled.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            for (int i = 0; i < 5; i++) {
                assertThat(API.http().get("/api/v1/health", null).status()).isEqualTo(200);
            }
            readUntilClosed(stalled.getInputStream(), Duration.ofSeconds(5));
        }
        assertThat(API.http().get("/api/v1/health", null).status()).isEqualTo(200);
    }

    @Test
    void anIdleKeepAliveConnectionOutlivesTheReadDeadline() throws Exception {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket)).startsWith("HTTP/1.1 200");
            Thread.sleep(READ.multipliedBy(2).toMillis());
            assertThat(roundTrip(socket)).startsWith("HTTP/1.1 200");
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", API.server().port());
        socket.setSoTimeout(500);
        return socket;
    }

    /** Sends one more header line every 200 ms; true once the server no longer accepts them. */
    private static boolean trickle(OutputStream out) {
        try {
            for (int i = 0; i < 40; i++) {
                Thread.sleep(200);
                out.write(("X-Slow-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return false;
        } catch (IOException ex) {
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Everything the server sends until it closes the connection; fails if it is still open after {@code max}. */
    private static String readUntilClosed(InputStream in, Duration max) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + max.toNanos();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                int read = in.read(buffer);
                if (read < 0) {
                    return received.toString(StandardCharsets.US_ASCII);
                }
                received.write(buffer, 0, read);
            } catch (SocketTimeoutException ex) {
                // still open: keep waiting
            } catch (IOException ex) {
                return received.toString(StandardCharsets.US_ASCII); // reset by the server
            }
        }
        throw new AssertionError("connection still open after " + max + "; received: " + received);
    }

    /** One keep-alive GET /health on {@code socket}; returns the status line and headers. */
    private static String roundTrip(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new AssertionError("closed by the server after: " + head);
            }
            head.append((char) next);
        }
        String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        in.readNBytes(length);
        return head.toString();
    }
}
