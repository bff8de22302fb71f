package dev.runners.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Operations", SIGTERM: the packaged service is started as a process of its own (on its embedded
 * database), a runner agent is in the middle of sending a registration whose body arrives slowly,
 * and the service is told to stop. Readiness turns DOWN, the registration is still answered 201,
 * and the process exits with 0 or 143.
 */
class ShutdownIT {
    private static final Duration START = Duration.ofSeconds(180);

    @Test
    void aRequestInFlightAtSigtermIsAnsweredWhileReadinessIsDownAndTheProcessExits() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN,
                "RUNNERS_SHUTDOWN_DRAIN_SECONDS", "2")).awaitReady(START)) {
            Http http = service.http();
            Fixtures fx = new Fixtures(http);
            String key = fx.key(fx.organization(), "runners:write");
            byte[] body = ("{\"name\":\"slow-agent\",\"version\":\"1.2.0\",\"os\":\"linux\",\"arch\":\"amd64\","
                    + "\"labels\":[\"gpu\"],\"max_pods\":4}").getBytes(StandardCharsets.UTF_8);

            try (Socket agent = new Socket("127.0.0.1", service.uri().getPort())) {
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

                // the rest of the body trickles in over 3 s: past the drain, while the listener closes
                for (int i = 10; i < body.length; i += 10) {
                    ServiceProcess.pause(Duration.ofMillis(3000L * 10 / body.length));
                    out.write(body, i, Math.min(10, body.length - i));
                    out.flush();
                }
                String answer = readAnswer(agent.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 201 "), answer + "\n" + service.output());
                assertTrue(answer.contains("\"name\":\"slow-agent\""), answer);
            }

            int status = service.awaitExit(Duration.ofSeconds(30));
            assertTrue(status == 0 || status == 143, "exit status " + status + "\n" + service.output());
            assertTrue(service.output().contains("Shutting down: readiness is DOWN"), service.output());
        }
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
