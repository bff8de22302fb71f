package dev.runners.server.edge;

import java.lang.reflect.Field;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Every place the service leans on Helidon beyond its public API, written against Helidon 4.1.2;
 * check each after an upgrade:
 * <ul>
 *     <li>the web server's builder, which Helidon MP holds in {@link ServerCdiExtension} until the
 *     server starts and offers no accessor for; reached by reflection for what MP configuration
 *     cannot express (direct handlers, connection hooks);</li>
 *     <li>the exceptions the HTTP/1 connection throws while it reads a request off the socket: the
 *     status of its refusal of a body ({@link BrokenRequestBody}), and how it says the client has
 *     gone ({@link ClientDisconnects});</li>
 *     <li>the connection behind the {@link ConnectionContext} its HTTP/1 listeners are given (a
 *     private field of its connection handler), to have it end after the request it serves: Helidon
 *     closes idle connections when it stops, but not one that goes idle after that, which would hold
 *     the stop for the whole grace period ({@link ConnectionGuard});</li>
 *     <li>the headers an HTTP/1 send listener is given, which are the answer's own and can still be
 *     changed: the only place to take back the {@code Content-Length: 0} the web server puts on every
 *     answer written through its output stream without a byte, 304 included
 *     ({@link #notModifiedWithoutLength()}).</li>
 * </ul>
 */
public final class HelidonInternals {
    /** The private field of {@link ServerCdiExtension} that holds the web server's builder. */
    static final String SERVER_BUILDER_FIELD = "serverBuilder";
    /**
     * A test seam, not a setting: set, the builder is reported unreachable, as it would be after a
     * Helidon upgrade that renamed the field (the only way to see the start refused on a working
     * Helidon). Read from the JVM's system properties only, so no configuration file or environment
     * variable can set it.
     */
    static final String UNREACHABLE_FOR_TESTS = HelidonInternals.class.getName() + ".unreachable";

    /** The class of the connection contexts Helidon hands to HTTP/1 listeners, and its field that holds the connection. */
    static final String CONNECTION_HANDLER = "io.helidon.webserver.ConnectionHandler";
    static final String CONNECTION_FIELD = "connection";
    private static volatile Field connectionField;

    private HelidonInternals() {
    }

    /**
     * Checks, before the server starts, that {@link #closeAfterItsRequest} can reach connections.
     *
     * @throws HookUnavailable when this Helidon keeps them elsewhere
     */
    static void checkConnectionsReachable() {
        connectionField();
    }

    /**
     * Has the connection of {@code ctx} end once the request it is serving is answered, or at once
     * when it waits between requests; a connection with no request under way yet is left alone.
     */
    static void closeAfterItsRequest(ConnectionContext ctx) {
        try {
            if (connectionField().get(ctx) instanceof ServerConnection connection) {
                connection.close(false);
            }
        } catch (IllegalAccessException | RuntimeException e) {
            System.getLogger(HelidonInternals.class.getName()).log(System.Logger.Level.DEBUG,
                    "Cannot reach a connection to close it", e);
        }
    }

    private static Field connectionField() {
        Field field = connectionField;
        if (field != null) {
            return field;
        }
        String where = CONNECTION_HANDLER + "." + CONNECTION_FIELD;
        try {
            field = Class.forName(CONNECTION_HANDLER, false, ConnectionContext.class.getClassLoader())
                    .getDeclaredField(CONNECTION_FIELD);
            if (!ServerConnection.class.isAssignableFrom(field.getType())) {
                throw new HookUnavailable("Cannot reach the web server's connections: " + where
                        + " is no ServerConnection (a Helidon other than 4.1.2?)", null);
            }
            field.setAccessible(true);
            connectionField = field;
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof HookUnavailable unavailable) {
                throw unavailable;
            }
            throw new HookUnavailable("Cannot reach the web server's connections (" + where + "): " + e
                    + " (a Helidon other than 4.1.2?)", e);
        }
    }

    /** A hook the service depends on cannot be put on the web server; the message is one line. */
    public static final class HookUnavailable extends IllegalStateException {
        HookUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The builder of the web server Helidon MP is about to start; use it before the server starts.
     *
     * @throws HookUnavailable when this Helidon keeps it elsewhere
     */
    public static WebServerConfig.Builder serverBuilder(ServerCdiExtension server) {
        return serverBuilder(ServerCdiExtension.class, server, SERVER_BUILDER_FIELD);
    }

    static WebServerConfig.Builder serverBuilder(Class<?> holder, Object server, String fieldName) {
        String where = holder.getName() + "." + fieldName;
        if (Boolean.getBoolean(UNREACHABLE_FOR_TESTS)) {
            throw new HookUnavailable("Cannot reach the web server's builder (" + where
                    + "): unreachable by the system property " + UNREACHABLE_FOR_TESTS, null);
        }
        try {
            Field field = holder.getDeclaredField(fieldName);
            field.setAccessible(true);
            if (field.get(server) instanceof WebServerConfig.Builder builder) {
                return builder;
            }
            throw new HookUnavailable("Cannot reach the web server's builder: " + where
                    + " does not hold one (a Helidon other than 4.1.2?)", null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof HookUnavailable unavailable) {
                throw unavailable;
            }
            throw new HookUnavailable("Cannot reach the web server's builder (" + where + "): " + e
                    + " (a Helidon other than 4.1.2?)", e);
        }
    }

    /**
     * A send listener that takes {@code Content-Length} off a 304: Helidon 4.1.2 sets
     * {@code Content-Length: 0} on a bodiless answer written through its output stream (as JAX-RS
     * writes), which on a 304 claims a length the 200 does not have (RFC 9110 8.6); and it refuses
     * (500) a 304 that carries the 200's, so the 304 carries none. The status and then the headers
     * are reported on the thread that writes the answer, just before the headers are written.
     */
    static Http1ConnectionListener notModifiedWithoutLength() {
        return new Http1ConnectionListener() {
            private final ThreadLocal<Boolean> notModified = new ThreadLocal<>();

            @Override
            public void status(ConnectionContext ctx, Status status) {
                // set for every answer: nothing of an earlier one on this thread is left over
                notModified.set(status.code() == Status.NOT_MODIFIED_304.code());
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                if (Boolean.TRUE.equals(notModified.get())) {
                    if (headers instanceof WritableHeaders<?> answer) {
                        answer.remove(HeaderNames.CONTENT_LENGTH);
                    }
                }
            }
        };
    }

    /** Whether this is how the web server says the connection ended before the request did. */
    public static boolean endedInsideTheRequest(Throwable failure) {
        return failure instanceof DataReader.InsufficientDataAvailableException;
    }

    /**
     * The status with which the web server refused a request body it was reading off the socket:
     * its own {@code RequestException} carries one (413 for a chunked body over its limit); any
     * other failure of the body's stream (a bad chunk size escapes as a bare NumberFormatException
     * in 4.1.2, a connection that ended as {@link DataReader.InsufficientDataAvailableException})
     * is the client's broken framing, 400.
     */
    static int refusedBodyStatus(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestException refused && refused.status() != null) {
                return refused.status().code();
            }
        }
        return 400;
    }
}
