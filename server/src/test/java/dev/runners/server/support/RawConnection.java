package dev.runners.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * One TCP connection to the server written byte by byte as a client (or an attacker) chooses: for
 * what an HTTP client never does, such as trickling headers, uploading slowly or going away mid-request.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final Instant opened;

    private RawConnection(Socket socket) {
        this.socket = socket;
        this.opened = Instant.now();
    }

    public static RawConnection open(URI server) throws IOException {
        return new RawConnection(new Socket(server.getHost(), server.getPort()));
    }

    /** Time since the connection was opened. */
    public Duration age() {
        return Duration.between(opened, Instant.now());
    }

    /** Sends {@code text}; false when the server has closed the connection. */
    public boolean send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /**
     * Sends {@code text} one byte at a time, {@code pause} apart, until it is all sent or the server
     * closes the connection; true when the server closed it first.
     */
    public boolean trickle(String text, Duration pause) throws InterruptedException {
        for (char c : text.toCharArray()) {
            if (!send(String.valueOf(c)) || closedByServer(pause)) {
                return true;
            }
        }
        return false;
    }

    /** Reads one response's status line and headers (and a Content-Length body); null when the server closed instead. */
    public String readResponse(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            return null;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = contentLength(text);
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the server closes the connection within {@code wait}; nothing is expected from it before. */
    public boolean closedByServer(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    /** Closing then resets the connection (RST) instead of ending it, as a client that crashed. */
    public void resetOnClose() throws IOException {
        socket.setSoLinger(true, 0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
