package dev.runners.server.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.RawConnection;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection limits, from outside: the jar on its embedded database, configured through
 * environment variables as an operator would, and raw sockets that behave as attackers do.
 * The limits are short here so that the tests are; the bounds leave room for a slow machine.
 */
class ConnectionLimitsIT {
    private static final int MAX_CONNECTIONS = 12;
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** Far more than any limit here: what would be "never" for these tests. */
    private static final Duration LONG = Duration.ofSeconds(15);
    private static final String REQUEST = "GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n";

    @TempDir
    static Path workDir;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        service = ServiceProcess.startReady(workDir, Map.of(
                "RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN,
                "RUNNERS_CONNECTIONS_MAX", Integer.toString(MAX_CONNECTIONS),
                "RUNNERS_CONNECTIONS_HEADER_TIMEOUT_SECONDS", Long.toString(HEADER_TIMEOUT.toSeconds()),
                "RUNNERS_CONNECTIONS_BODY_TIMEOUT_SECONDS", Long.toString(BODY_TIMEOUT.toSeconds()),
                "RUNNERS_CONNECTIONS_IDLE_TIMEOUT_SECONDS", Long.toString(IDLE_TIMEOUT.toSeconds())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aClientTricklingItsHeadersIsCutOffWhenTheHeaderTimeoutEndsInTotal() throws Exception {
        try (RawConnection slowloris = RawConnection.open(service.uri())) {
            slowloris.send("GET /health/live HTTP/1.1\r\nHost: test\r\n");

            // a byte every 200 ms, for as long as LONG: no single read ever waits long
            boolean cut = slowloris.trickle("X-Padding: " + "a".repeat(64), Duration.ofMillis(200));

            assertTrue(cut, "still open after " + slowloris.age());
            assertThat(slowloris.age(), greaterThanOrEqualTo(HEADER_TIMEOUT));
            assertThat(slowloris.age(), lessThan(LONG));
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWhenTheHeaderTimeoutEnds() throws Exception {
        try (RawConnection silent = RawConnection.open(service.uri())) {
            assertTrue(silent.closedByServer(LONG), "still open after " + silent.age());
            assertThat(silent.age(), greaterThanOrEqualTo(HEADER_TIMEOUT));
        }
    }

    @Test
    void anUploadAtOneKilobytePerSecondIsCutOffWhenTheBodyTimeoutEnds() throws Exception {
        String key = writeKey();
        int length = 64 * 1024;
        try (RawConnection upload = RawConnection.open(service.uri())) {
            upload.send("POST /api/v1/runners HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n");
            Instant headersSent = Instant.now();
            boolean cut = false;
            int sent = 0;
            // 100 bytes every 100 ms: about 1 KiB/s, 64 s for the whole body, tried for as long as LONG
            while (!cut && sent < length && upload.age().compareTo(LONG) < 0) {
                cut = !upload.send(" ".repeat(100)) || upload.closedByServer(Duration.ofMillis(100));
                sent += 100;
            }

            assertTrue(cut, sent + " bytes of the body were accepted in " + upload.age());
            Duration took = Duration.between(headersSent, Instant.now());
            assertThat(took, greaterThanOrEqualTo(BODY_TIMEOUT));
            assertThat(took, lessThan(LONG));
        }
    }

    @Test
    void aBodySentAtOnceIsAnsweredOnAConnectionThatStaysOpen() throws Exception {
        String key = writeKey();
        String body = "{\"name\":\"fast-upload\",\"version\":\"1.0.0\",\"os\":\"linux\",\"arch\":\"amd64\",\"max_pods\":1}";
        try (RawConnection client = RawConnection.open(service.uri())) {
            client.send("POST /api/v1/runners HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(client.readResponse(LONG), startsWith("HTTP/1.1 201"));

            // past the body timeout, the connection is still there for the next request
            Thread.sleep(BODY_TIMEOUT.plusMillis(500).toMillis());
            client.send(REQUEST);
            assertThat(client.readResponse(LONG), startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedWhenTheIdleTimeoutEnds() throws Exception {
        try (RawConnection idle = RawConnection.open(service.uri())) {
            idle.send(REQUEST);
            assertThat(idle.readResponse(LONG), startsWith("HTTP/1.1 200"));
            Instant answered = Instant.now();

            assertTrue(idle.closedByServer(LONG), "still open after " + idle.age());
            Duration idleFor = Duration.between(answered, Instant.now());
            assertThat(idleFor, greaterThanOrEqualTo(IDLE_TIMEOUT.minusSeconds(1)));
        }
    }

    @Test
    void aConnectionInUseOutlivesTheIdleAndHeaderTimeouts() throws Exception {
        // the connections another test held at the cap may still be counted for a moment
        assertThat(servedWithin(LONG), notNullValue());
        try (RawConnection busy = RawConnection.open(service.uri())) {
            Instant until = Instant.now().plus(IDLE_TIMEOUT).plus(HEADER_TIMEOUT);
            while (Instant.now().isBefore(until)) {
                busy.send(REQUEST);
                assertThat("after " + busy.age(), busy.readResponse(LONG), startsWith("HTTP/1.1 200"));
                Thread.sleep(500);
            }
        }
    }

    @Test
    void beyondTheConnectionLimitNewConnectionsAreClosedUntilOthersAreGone() throws Exception {
        // the other tests' connections are gone after the idle timeout at the latest
        Thread.sleep(IDLE_TIMEOUT.plusSeconds(1).toMillis());
        List<RawConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                RawConnection connection = RawConnection.open(service.uri());
                held.add(connection);
                connection.send(REQUEST);
                assertThat("connection " + (i + 1), connection.readResponse(LONG), startsWith("HTTP/1.1 200"));
            }

            try (RawConnection oneTooMany = RawConnection.open(service.uri())) {
                oneTooMany.send(REQUEST);
                assertThat(oneTooMany.readResponse(LONG), nullValue());
                assertThat(oneTooMany.age(), lessThan(HEADER_TIMEOUT));
            }

            held.removeFirst().close();
            assertThat(servedWithin(LONG), notNullValue());
        } finally {
            for (RawConnection connection : held) {
                connection.close();
            }
        }
    }

    /** A new connection's first answer once the server has let one in, or null if none did in time. */
    private static String servedWithin(Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            try (RawConnection connection = RawConnection.open(service.uri())) {
                connection.send(REQUEST);
                String answer = connection.readResponse(LONG);
                if (answer != null) {
                    return answer;
                }
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static String writeKey() {
        Fixtures fixtures = new Fixtures(new Http(service.uri()));
        String key = fixtures.key(fixtures.organization(), "runners:write");
        assertThat(key.isEmpty(), is(false));
        return key;
    }
}
