package dev.runners.server.edge;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runners.server.config.ServiceSettings;
import dev.runners.server.config.ServiceSettings.ConnectionLimits;
import io.helidon.common.socket.SocketOptions;
import io.helidon.config.mp.MpConfig;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ProtocolConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts the connection limits ({@code runners.connections.*}) on the web server before it starts:
 * at most {@code max} open connections, the header and body deadlines of {@link ConnectionDeadlines},
 * and Helidon's own idle timeout. Helidon 4.1.2 has a per-read timeout setting that its server does
 * not apply, and no total deadline, so the deadlines are fed from three of its hooks: the socket
 * options (called with each accepted socket), an HTTP/1 receive listener (request line, headers)
 * and a stream filter on request bodies (end of the body).
 * <p>
 * From SIGTERM on, no connection is kept for a next request: each answer carries
 * {@code Connection: close}, and each connection ends once its current request is answered (at once
 * when it waits between requests). Helidon 4.1.2 closes the connections that are idle when it stops,
 * but a connection whose request was still in flight then goes back to waiting for the next one and
 * holds the stop (and the exit) for the whole {@code server.shutdown-grace-period}; and a client that
 * keeps its connection through the drain keeps sending to a pod that load balancers already left.
 */
@ApplicationScoped
public class ConnectionGuard {
    /** How often Helidon looks for idle connections. */
    private static final Duration IDLE_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** The name Helidon gives the HTTP/1 protocol it discovers, so that ours replaces it. */
    private static final String HTTP_1 = "http_1_1";

    private ConnectionDeadlines deadlines;
    private volatile boolean stopping;

    // before the server starts (Helidon starts it after the application's observers)
    void install(@Observes @Initialized(ApplicationScoped.class) Object event, BeanManager beans,
                 ServiceSettings settings) {
        ConnectionLimits limits = settings.connections();
        ServerCdiExtension server = beans.getExtension(ServerCdiExtension.class);
        WebServerConfig.Builder builder = HelidonInternals.serverBuilder(server);
        HelidonInternals.checkConnectionsReachable();
        deadlines = ConnectionDeadlines.started(limits);
        builder.connectionOptions(new WatchedSocketOptions(builder.connectionOptions()
                .orElseGet(SocketOptions::create), deadlines));
        builder.idleConnectionTimeout(limits.idleTimeout());
        builder.idleConnectionPeriod(IDLE_CHECK_INTERVAL);
        builder.protocols(withDeadlines(builder.protocols()));
        server.serverRoutingBuilder().addFilter(this::watchBody);
    }

    /**
     * SIGTERM (before the drain of ShutdownReadiness, which observes at PLATFORM_BEFORE - 100): each
     * connection ends after the request it serves, and answers from now on say so. A connection whose
     * request line arrives after this pass is caught by {@link RequestProgress#prologue}; one that has
     * sent nothing yet is idle, which Helidon closes when it stops.
     */
    void stopping(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 200)
                  @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stopping = true;
        if (deadlines != null) {
            deadlines.eachContext(HelidonInternals::closeAfterItsRequest);
        }
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (deadlines != null) {
            deadlines.close();
        }
    }

    /**
     * Runs {@code left} once the client at {@code remote} closes or resets its connection, for an answer
     * that holds the connection to its end (an event stream) and so is written to without ever being
     * read from: without this, a client that leaves is noticed only when a write fails, two writes
     * after it left. While such an answer is written, Helidon 4.1.2's connection thread waits for it
     * and reads nothing, so a thread of ours blocks in a read of the socket, which ends at once when
     * the client goes. Whatever the client sends meanwhile is dropped: the answer must close the
     * connection when it ends ({@code Connection: close}), so no next request is read from it.
     *
     * @return false when the connection is not known (it is already closed); {@code left} is not run
     */
    public boolean whenClientLeaves(SocketAddress remote, Runnable left) {
        Optional<Socket> socket = deadlines == null ? Optional.empty() : deadlines.socket(remote);
        if (socket.isEmpty() || socket.get().isClosed()) {
            return false;
        }
        Thread.ofVirtual().name("client-departure").start(() -> {
            byte[] dropped = new byte[256];
            try {
                InputStream in = socket.get().getInputStream();
                while (in.read(dropped) >= 0) {
                    // bytes after a request whose answer never ends: nothing will read them
                }
            } catch (IOException closedOrReset) {
                // the client reset the connection, or the server closed it: either way it is over
            }
            left.run();
        });
        return true;
    }

    /**
     * Ends the connection of the client at {@code remote} once the answer to its current request is
     * written, as for an answer after {@link #whenClientLeaves}: the connection's bytes were read by
     * another, so no next request may be read from it. The answer should say {@code Connection: close}.
     */
    public void closeAfterTheAnswer(SocketAddress remote) {
        if (deadlines != null) {
            deadlines.context(remote).ifPresent(HelidonInternals::closeAfterItsRequest);
        }
    }

    /** The configured HTTP/1 protocol (or the default one) with a listener that reports to the deadlines. */
    private List<ProtocolConfig> withDeadlines(List<ProtocolConfig> configured) {
        List<ProtocolConfig> protocols = new ArrayList<>();
        Http1Config http1 = null;
        for (ProtocolConfig protocol : configured) {
            if (protocol instanceof Http1Config found) {
                http1 = found;
            } else {
                protocols.add(protocol);
            }
        }
        Http1Config.Builder withListener = http1 != null
                ? Http1Config.builder().from(http1)
                : Http1Config.builder()
                        .config(MpConfig.toHelidonConfig(ConfigProvider.getConfig()).get("server.protocols." + HTTP_1))
                        .name(HTTP_1);
        protocols.add(withListener.addReceiveListener(new RequestProgress())
                .addSendListener(HelidonInternals.notModifiedWithoutLength())
                .build());
        return protocols;
    }

    /**
     * The end of a request body, however it is read (by the application or drained by the server);
     * once stopping, {@code Connection: close} on the answer.
     */
    private void watchBody(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (stopping) {
            response.header(HeaderValues.CONNECTION_CLOSE);
        }
        if (hasBody(request.headers())) {
            SocketAddress remote = request.remotePeer().address();
            request.streamFilter(body -> new EndOfBody(body, () -> deadlines.bodyRead(remote)));
        }
        chain.proceed();
    }

    private static boolean hasBody(Headers headers) {
        return headers.contains(HeaderNames.TRANSFER_ENCODING)
                || headers.contains(HeaderNames.CONTENT_LENGTH)
                && !headers.get(HeaderNames.CONTENT_LENGTH).get().strip().equals("0");
    }

    /** Called by the web server on each connection's thread as the request comes in. */
    private final class RequestProgress implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            deadlines.requestLineRead(ctx.remotePeer().address(), ctx);
            if (stopping) {
                HelidonInternals.closeAfterItsRequest(ctx);
            }
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            deadlines.headersRead(ctx.remotePeer().address(), hasBody(headers));
        }
    }

    /** Reports the end of a request body when a read meets it. */
    private static final class EndOfBody extends FilterInputStream {
        private final Runnable onEnd;

        EndOfBody(InputStream body, Runnable onEnd) {
            super(body);
            this.onEnd = onEnd;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                onEnd.run();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                onEnd.run();
            }
            return n;
        }
    }

    /** The configured socket options, and each accepted socket handed to the deadlines (which may refuse it). */
    private record WatchedSocketOptions(SocketOptions options, ConnectionDeadlines deadlines) implements SocketOptions {
        @Override
        public void configureSocket(Socket socket) {
            options.configureSocket(socket);
            deadlines.accepted(socket);
        }

        @Override
        public Map<SocketOption<?>, Object> socketOptions() {
            return options.socketOptions();
        }

        @Override
        public Duration connectTimeout() {
            return options.connectTimeout();
        }

        @Override
        public Duration readTimeout() {
            return options.readTimeout();
        }

        @Override
        public Optional<Integer> socketReceiveBufferSize() {
            return options.socketReceiveBufferSize();
        }

        @Override
        public Optional<Integer> socketSendBufferSize() {
            return options.socketSendBufferSize();
        }

        @Override
        public boolean socketReuseAddress() {
            return options.socketReuseAddress();
        }

        @Override
        public boolean socketKeepAlive() {
            return options.socketKeepAlive();
        }

        @Override
        public boolean tcpNoDelay() {
            return options.tcpNoDelay();
        }
    }
}
