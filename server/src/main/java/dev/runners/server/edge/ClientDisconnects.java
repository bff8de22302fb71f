package dev.runners.server.edge;

import java.net.SocketException;
import java.sql.SQLException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import io.helidon.common.buffers.DataReader;

/**
 * A client that goes away in the middle of an exchange is not a server failure, yet Helidon 4.1.2
 * logs it as one: a WARNING "Internal server error" with a stack trace when the connection ends
 * inside the request headers, a SEVERE from Jersey when it is reset while the answer is written
 * (17 and 60 lines each), and Helidon's JAX-RS bridge a WARNING when an event stream's client has
 * gone; so is a body that a connection deadline cut off. This filter, set on the
 * console handler in {@code logging.properties}, turns such a record into one INFO line without the
 * stack trace; every other record passes as is.
 */
public class ClientDisconnects implements Filter {
    private static final String[] WEB_SERVER_LOGGERS = {"io.helidon.webserver.", "io.helidon.microprofile.server.",
            "org.glassfish.jersey.server."};
    /** The JDK's message when this side closed the socket. */
    private static final String LOCALLY_CLOSED = "Socket closed";

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown != null && fromWebServer(record.getLoggerName())) {
            String reason = clientGone(thrown);
            if (reason != null) {
                // the record is built for this one handler; rewriting it is what keeps it to one line
                record.setLevel(Level.INFO);
                record.setMessage("Connection closed before the exchange was complete: " + reason);
                record.setParameters(null);
                record.setThrown(null);
            }
        }
        return true;
    }

    private static boolean fromWebServer(String logger) {
        if (logger == null) {
            return false;
        }
        for (String prefix : WEB_SERVER_LOGGERS) {
            if (logger.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * How the connection ended early (the client ended or reset it, or a connection deadline of
     * {@link ConnectionGuard} closed it), or null when the failure is another one; a database
     * connection's failure is never the client's.
     */
    static String clientGone(Throwable thrown) {
        String reason = null;
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return null;
            }
            if (cause instanceof DataReader.InsufficientDataAvailableException) {
                reason = "the client ended it inside the request";
            } else if (cause instanceof SocketException socket) {
                reason = LOCALLY_CLOSED.equals(socket.getMessage())
                        ? "the server closed it, past a connection deadline"
                        : "the client's side failed (" + socket.getMessage() + ")";
            }
        }
        return reason;
    }
}
