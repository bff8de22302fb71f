package dev.runners.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the service and its database that a test can cut and restore (an outage
 * that resets connections) or turn into a black hole (a partition that drops packets).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean blackHole;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Thread.ofPlatform().daemon().name("tcp-proxy-accept").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /**
     * A partition that drops packets: every connection stays open but what either side sends is
     * lost, a side that closes is not seen by the other, and new connections are accepted but
     * reach nothing, until {@link #restore()}.
     */
    public synchronized void blackHole() {
        blackHole = true;
    }

    /** Ends a cut or a black hole; after a black hole, every connection is closed. */
    public synchronized void restore() {
        if (blackHole) {
            // the partition heals: the closes that were held back arrive, and a stream that lost
            // bytes cannot go on, so no connection outlives it
            open.forEach(TcpProxy::closeQuietly);
            open.clear();
            blackHole = false;
        }
        cut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                synchronized (this) {
                    if (cut) {
                        closeQuietly(client);
                        continue;
                    }
                    if (blackHole) {
                        open.add(client);
                        pump(client, null);
                        continue;
                    }
                }
                Socket server = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // listener closed, or the database refused: the service sees a broken connection
            }
        }
    }

    /** Relays what {@code from} sends to {@code to} (null: nowhere), dropping it during a black hole. */
    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!blackHole && to != null) {
                        OutputStream out = to.getOutputStream();
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                open.remove(from);
                // a close does not cross a black hole; restore() delivers it
                if (to != null && !blackHole) {
                    closeQuietly(to);
                    open.remove(to);
                }
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
