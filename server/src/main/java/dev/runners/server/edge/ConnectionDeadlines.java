package dev.runners.server.edge;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.runners.server.config.ServiceSettings.ConnectionLimits;
import io.helidon.webserver.ConnectionContext;

/**
 * Every open client connection, with the time by which it must have sent what it owes: the request
 * headers within the header timeout (counted from the accept for a connection's first request, from
 * the request line for the next ones), then the body within the body timeout. A connection past its
 * deadline is closed, however steadily it trickles bytes; waiting between requests is the web
 * server's idle timeout. Beyond the connection limit a new connection is closed as soon as it is
 * accepted. Connections are known by their remote address, unique among open connections.
 */
final class ConnectionDeadlines implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConnectionDeadlines.class.getName());
    /** How often deadlines are checked; a connection is closed at most this much after its deadline. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final long NONE = Long.MAX_VALUE;
    private static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

    private final ConnectionLimits limits;
    private final LongSupplier nanoTime;
    private final Map<SocketAddress, Watched> open = new ConcurrentHashMap<>();
    private ScheduledExecutorService checker;
    /** Refusals not yet reported; they are reported at most once per {@link #REPORT_INTERVAL}. */
    private long refused;
    private long lastReport;

    /** Without a checker of its own: {@link #closeOverdue()} is called by whoever owns it (tests). */
    ConnectionDeadlines(ConnectionLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.lastReport = nanoTime.getAsLong() - REPORT_INTERVAL.toNanos();
    }

    /** On the system clock, checked every {@link #CHECK_INTERVAL} by a thread of its own. */
    static ConnectionDeadlines started(ConnectionLimits limits) {
        ConnectionDeadlines deadlines = new ConnectionDeadlines(limits, System::nanoTime);
        deadlines.checker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("runners-connection-deadlines").daemon().factory());
        deadlines.checker.scheduleWithFixedDelay(deadlines::closeOverdueAndCarryOn, CHECK_INTERVAL.toMillis(),
                CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return deadlines;
    }

    /**
     * A connection was just accepted; its first request's headers are due within the header timeout.
     *
     * @throws ConnectionRefused when the limit of open connections is reached (the web server closes it)
     */
    synchronized void accepted(Socket socket) {
        if (open.size() >= limits.maxConnections()) {
            open.values().removeIf(Watched::isClosed);
        }
        if (open.size() >= limits.maxConnections()) {
            reportRefusal();
            throw new ConnectionRefused();
        }
        open.put(socket.getRemoteSocketAddress(), new Watched(socket, after(limits.headerTimeout())));
    }

    /**
     * The request line is in; unless the accept already started the clock, the headers are due now.
     * {@code context} is the web server's for the connection, kept for {@link #eachContext}.
     */
    void requestLineRead(SocketAddress remote, ConnectionContext context) {
        Watched connection = open.get(remote);
        if (connection != null) {
            connection.context = context;
            if (!connection.awaitingHeaders) {
                connection.due(after(limits.headerTimeout()), true);
            }
        }
    }

    /** The web server's context of the open connection whose client is at {@code remote}, once it sent a request line. */
    Optional<ConnectionContext> context(SocketAddress remote) {
        Watched connection = open.get(remote);
        return connection == null ? Optional.empty() : Optional.ofNullable(connection.context);
    }

    /** The web server's context of every open connection that has sent a request line. */
    void eachContext(Consumer<ConnectionContext> action) {
        for (Watched connection : open.values()) {
            ConnectionContext context = connection.context;
            if (context != null && !connection.isClosed()) {
                action.accept(context);
            }
        }
    }

    /** The headers are in; a body, if the request has one, is due within the body timeout. */
    void headersRead(SocketAddress remote, boolean bodyFollows) {
        Watched connection = open.get(remote);
        if (connection != null) {
            connection.due(bodyFollows ? after(limits.bodyTimeout()) : NONE, false);
        }
    }

    /** The body has been read to its end. */
    void bodyRead(SocketAddress remote) {
        Watched connection = open.get(remote);
        if (connection != null) {
            connection.due(NONE, false);
        }
    }

    /** One line for the first refusal, then at most one a minute, however many connections are refused. */
    private void reportRefusal() {
        refused++;
        long now = nanoTime.getAsLong();
        if (now - lastReport >= REPORT_INTERVAL.toNanos()) {
            LOG.log(System.Logger.Level.WARNING, "Refused " + refused + " new connection(s): "
                    + limits.maxConnections() + " were open, the limit set by runners.connections.max");
            refused = 0;
            lastReport = now;
        }
    }

    /** The socket of the open connection whose client is at {@code remote}. */
    Optional<Socket> socket(SocketAddress remote) {
        Watched connection = open.get(remote);
        return connection == null ? Optional.empty() : Optional.of(connection.socket);
    }

    int openConnections() {
        return open.size();
    }

    /** Closes every connection past its deadline and forgets the ones the web server has closed. */
    void closeOverdue() {
        long now = nanoTime.getAsLong();
        open.values().removeIf(connection -> connection.isClosed() || connection.closeIfOverdue(now));
    }

    /** A failure must not end the schedule, which would lift every deadline. */
    private void closeOverdueAndCarryOn() {
        try {
            closeOverdue();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Checking connection deadlines failed", e);
        }
    }

    private long after(Duration timeout) {
        return nanoTime.getAsLong() + timeout.toNanos();
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }

    /** An open connection and its deadline; the deadline is set by the connection's own thread. */
    private static final class Watched {
        private final Socket socket;
        private volatile long due;
        private volatile boolean awaitingHeaders = true;
        private volatile ConnectionContext context;

        Watched(Socket socket, long due) {
            this.socket = socket;
            this.due = due;
        }

        void due(long due, boolean awaitingHeaders) {
            this.due = due;
            this.awaitingHeaders = awaitingHeaders;
        }

        boolean isClosed() {
            return socket.isClosed();
        }

        /** Closing the socket ends the read the connection's thread is blocked in. */
        boolean closeIfOverdue(long now) {
            long deadline = due;
            if (deadline == NONE || now - deadline < 0) {
                return false;
            }
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing an overdue connection failed", e);
            }
            return true;
        }
    }

    /** Thrown from the accept to have the web server close the connection; no stack trace to fill. */
    static final class ConnectionRefused extends RuntimeException {
        ConnectionRefused() {
            super("connection limit reached", null, false, false);
        }
    }
}
