package dev.runners.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.EventStream;
import dev.runners.server.support.Http;
import dev.runners.server.support.RawConnection;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar as an operator starts it, one process on a new embedded database, seen from
 * outside: what it writes to its log (the start-up lines, clients that go away), that tracing is
 * off unless switched on although an exporter is named, and SIGTERM with a request in flight.
 * One process serves all four, in this order, because each start of the jar costs far more than the
 * checks; SIGTERM ends it, so that comes last, and the tracing check reads the log after the exit.
 * (They were ServiceLogH2IT, ShutdownIT and TracingIT#tracingIsOffByDefault, a process each.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShippedJarH2IT {
    private static final Duration LONG = Duration.ofSeconds(15);

    @TempDir
    static Path workDir;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        service = ServiceProcess.startReady(workDir, ServiceProcess.environment(Map.of(
                "runners.admin-token", TestDatabase.ADMIN_TOKEN,
                "runners.shutdown.drain-seconds", "2",
                // far longer than the test waits for the exit: a connection that held the stop would fail it
                "server.shutdown-grace-period", "PT5M",
                // the 90 dropped clients come without credentials: with the shipped 20 failed
                // authentications a minute, this address would be locked out for the tests after them
                "runners.rate-limit.auth-failures-per-minute", "1000000",
                // named, but tracing stays off: otel.sdk.disabled is not set
                "otel.traces.exporter", "logging")), "-Xmx256m");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void theStartUpLogSaysTheAddressTheDatabaseItsSchemaAndThatTheAdminApiIsOn() {
        List<String> lines = lines();

        assertThat(lines, hasItem(containsString("Listening on http://127.0.0.1:" + service.port())));
        assertThat(lines, hasItem(containsString("Database: H2 at file:./data/runners")));
        assertThat(lines, hasItem(containsString("Database schema migrated from empty to version ")));
        assertThat(lines, hasItem(containsString("Admin API enabled")));
        assertThat(service.output(), not(containsString(TestDatabase.ADMIN_TOKEN)));
    }

    @Test
    @Order(2)
    void aClientThatGoesAwayCostsAtMostOneLineAndNoStackTrace() throws Exception {
        int before = lines().size();
        int drops = 0;
        for (int i = 0; i < 50; i++, drops++) {
            try (RawConnection client = RawConnection.open(service.uri())) {
                client.send("GET /api/v1/runners HTTP/1.1\r\nHost: test\r\nX-Half: a");
            }
        }
        for (int i = 0; i < 20; i++, drops++) {
            try (RawConnection client = RawConnection.open(service.uri())) {
                client.send("POST /api/v1/runners HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"na");
            }
        }
        for (int i = 0; i < 20; i++, drops++) {
            try (RawConnection client = RawConnection.open(service.uri())) {
                // the contract is long enough that the answer is still being written when the reset comes
                client.send("GET /openapi HTTP/1.1\r\nHost: test\r\n\r\n");
                client.resetOnClose();
            }
        }
        // the server is still serving, and has written what it will about the drops
        try (RawConnection client = RawConnection.open(service.uri())) {
            client.send("GET /health/ready HTTP/1.1\r\nHost: test\r\n\r\n");
            client.readResponse(LONG);
        }
        Thread.sleep(1000);

        List<String> written = lines().subList(before, lines().size());
        assertThat(written.size(), lessThanOrEqualTo(drops));
        assertThat(written.stream().filter(line -> line.startsWith("\tat ") || line.startsWith("Caused by")
                || line.contains("Exception")).toList(), empty());
    }

    /**
     * "Operations", SIGTERM: a runner agent is in the middle of sending a registration whose body
     * arrives slowly, another client keeps an idle keep-alive connection, a third follows the change
     * feed, and the service is told to stop. Readiness turns DOWN, answers during the drain say {@code Connection: close}, the
     * registration is still answered 201, both connections are then closed by the service, and the
     * process exits with 0 or 143 without waiting for the grace period (set to 5 minutes here): nor
     * do the clients that reset their connection while their answer was written (the test before).
     * The stop logs no warning and no stack trace.
     */
    @Test
    @Order(3)
    void aRequestInFlightAtSigtermIsAnsweredWhileReadinessIsDownAndTheProcessExits() throws Exception {
        Http http = service.http();
        Fixtures fx = new Fixtures(http);
        String key = fx.key(fx.organization(), "runners:write");
        byte[] body = ("{\"name\":\"slow-agent\",\"version\":\"1.2.0\",\"os\":\"linux\",\"arch\":\"amd64\","
                + "\"labels\":[\"gpu\"],\"max_pods\":4}").getBytes(StandardCharsets.UTF_8);

        String reader = fx.key(fx.organization(), "runners:read");
        try (RawConnection idle = RawConnection.open(service.uri());
             EventStream stream = EventStream.open(service.uri(), "/api/v1/runners/events",
                     "Authorization", "Bearer " + reader);
             Socket agent = new Socket("127.0.0.1", service.uri().getPort())) {
            assertEquals(200, stream.status(), () -> stream.refusal().toString());
            idle.send("GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n");
            String first = idle.readResponse(LONG);
            assertTrue(first != null && first.startsWith("HTTP/1.1 200 "), String.valueOf(first));
            agent.setSoTimeout(30_000);
            OutputStream out = agent.getOutputStream();
            out.write(("POST /api/v1/runners HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();

            service.terminate();
            Instant deadline = Instant.now().plusSeconds(2);
            int readiness = service.readinessStatus();
            while (readiness == 200 && Instant.now().isBefore(deadline)) {
                ServiceProcess.pause(Duration.ofMillis(50));
                readiness = service.readinessStatus();
            }
            assertEquals(503, readiness, "readiness once SIGTERM arrived:\n" + service.output());
            Http.Reply down = http.get("/health/ready");
            assertEquals("DOWN", down.json().getString("status"), down::toString);
            try (RawConnection late = RawConnection.open(service.uri())) {
                late.send("GET /health/ready HTTP/1.1\r\nHost: test\r\n\r\n");
                String answer = late.readResponse(LONG);
                assertTrue(answer != null && answer.toLowerCase().contains("\r\nconnection: close\r\n"),
                        "an answer during the drain:\n" + answer);
            }

            // the rest of the body trickles in over 3 s: past the drain, while the listener closes
            for (int i = 10; i < body.length; i += 10) {
                ServiceProcess.pause(Duration.ofMillis(3000L * 10 / body.length));
                out.write(body, i, Math.min(10, body.length - i));
                out.flush();
            }
            String answer = readAnswer(agent.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 201 "), answer + "\n" + service.output());
            assertTrue(answer.contains("\"name\":\"slow-agent\""), answer);

            // neither connection is kept for a next request, so neither holds the stop
            agent.setSoTimeout(20_000);
            assertEquals(-1, agent.getInputStream().read(), "the agent's connection after its answer");
            assertTrue(idle.closedByServer(Duration.ofSeconds(20)), "the idle keep-alive connection");
        }

        int status = service.awaitExit(Duration.ofSeconds(30));
        assertTrue(status == 0 || status == 143, "exit status " + status + "\n" + service.output());
        assertTrue(service.output().contains("Shutting down: readiness is DOWN"), service.output());
        // an orderly stop, an open event stream included: no warning, no stack trace
        List<String> stopping = lines().subList(lines().indexOf(lines().stream()
                .filter(line -> line.contains("Shutting down: readiness is DOWN")).findFirst().orElseThrow()), lines().size());
        assertThat(stopping.stream().filter(line -> line.startsWith("\tat ") || line.startsWith("Caused by")
                || line.contains(" WARNING ") || line.contains(" SEVERE ") || line.contains("Exception")).toList(), empty());
    }

    /** Nothing the tests before asked for (organizations, keys, a registration), up to the exit, left a span. */
    @Test
    @Order(4)
    void tracingIsOffByDefault() {
        if (service.isAlive()) {
            // run on its own: make a request and stop the service, as the tests before did
            new Fixtures(service.http()).organization();
            service.terminate();
        }
        service.awaitExit(Duration.ofSeconds(30));
        assertFalse(service.output().contains("LoggingSpanExporter"), service.output());
    }

    private static List<String> lines() {
        return service.output().lines().toList();
    }

    /** One HTTP/1.1 answer with a Content-Length body. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
