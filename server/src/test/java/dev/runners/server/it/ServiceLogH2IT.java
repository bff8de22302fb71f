package dev.runners.server.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.runners.server.support.RawConnection;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/** What the jar writes to its log, on a new embedded database: the start-up lines, and clients that go away. */
class ServiceLogH2IT {
    private static final Duration LONG = Duration.ofSeconds(15);

    @TempDir
    static Path workDir;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        service = ServiceProcess.startReady(workDir, Map.of("RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theStartUpLogSaysTheAddressTheDatabaseItsSchemaAndThatTheAdminApiIsOn() {
        List<String> lines = lines();

        assertThat(lines, hasItem(containsString("Listening on http://127.0.0.1:" + service.port())));
        assertThat(lines, hasItem(containsString("Database: H2 at file:./data/runners")));
        assertThat(lines, hasItem(containsString("Database schema migrated from empty to version ")));
        assertThat(lines, hasItem(containsString("Admin API enabled")));
        assertThat(service.output(), not(containsString(TestDatabase.ADMIN_TOKEN)));
    }

    @Test
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

    private static List<String> lines() {
        return service.output().lines().toList();
    }
}
