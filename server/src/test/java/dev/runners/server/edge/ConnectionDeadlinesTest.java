package dev.runners.server.edge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.runners.server.config.ServiceSettings.ConnectionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The deadlines on loopback sockets, with a clock the test moves (the ITs show them on the real server). */
class ConnectionDeadlinesTest {
    private static final Duration HEADERS = Duration.ofSeconds(10);
    private static final Duration BODY = Duration.ofSeconds(30);

    private final AtomicLong nanos = new AtomicLong();
    private final ConnectionDeadlines deadlines = new ConnectionDeadlines(
            new ConnectionLimits(3, HEADERS, BODY, Duration.ofSeconds(60)), nanos::get);
    private final ServerSocket listener = listen();
    private final List<Socket> sockets = new ArrayList<>();

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server side of a new loopback connection, as the web server accepts it. */
    private Socket accept() throws IOException {
        sockets.add(new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        Socket accepted = listener.accept();
        sockets.add(accepted);
        return accepted;
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        deadlines.closeOverdue();
    }

    @AfterEach
    void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        listener.close();
    }

    @Test
    void aConnectionWithoutItsHeadersWhenTheTimeoutEndsIsClosed() throws IOException {
        Socket connection = accept();
        deadlines.accepted(connection);

        advance(HEADERS.minusMillis(1));
        assertThat(connection.isClosed(), is(false));
        deadlines.requestLineRead(connection.getRemoteSocketAddress(), null);
        advance(Duration.ofMillis(1));

        // the request line did not restart the clock of the first request
        assertThat(connection.isClosed(), is(true));
        assertThat(deadlines.openConnections(), is(0));
    }

    @Test
    void aConnectionBetweenRequestsHasNoDeadlineAndTheNextRequestLineStartsOne() throws IOException {
        Socket connection = accept();
        deadlines.accepted(connection);
        deadlines.requestLineRead(connection.getRemoteSocketAddress(), null);
        deadlines.headersRead(connection.getRemoteSocketAddress(), false);

        advance(Duration.ofHours(1));
        assertThat(connection.isClosed(), is(false));

        deadlines.requestLineRead(connection.getRemoteSocketAddress(), null);
        advance(HEADERS);
        assertThat(connection.isClosed(), is(true));
    }

    @Test
    void aBodyIsDueWithinTheBodyTimeoutOfItsHeaders() throws IOException {
        Socket slow = accept();
        Socket complete = accept();
        deadlines.accepted(slow);
        deadlines.accepted(complete);
        deadlines.headersRead(slow.getRemoteSocketAddress(), true);
        deadlines.headersRead(complete.getRemoteSocketAddress(), true);
        deadlines.bodyRead(complete.getRemoteSocketAddress());

        advance(BODY);

        assertThat(slow.isClosed(), is(true));
        assertThat(complete.isClosed(), is(false));
    }

    @Test
    void beyondTheLimitAConnectionIsRefusedUntilAnotherOneIsClosed() throws IOException {
        List<Socket> open = List.of(accept(), accept(), accept());
        for (Socket connection : open) {
            deadlines.accepted(connection);
        }

        Socket oneTooMany = accept();
        assertThrows(ConnectionDeadlines.ConnectionRefused.class, () -> deadlines.accepted(oneTooMany));

        open.getFirst().close();
        deadlines.accepted(oneTooMany);
        assertThat(deadlines.openConnections(), is(3));
    }
}
