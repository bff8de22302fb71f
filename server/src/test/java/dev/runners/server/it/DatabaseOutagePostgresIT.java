package dev.runners.server.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnProxiedPostgres;
import dev.runners.server.support.ProxiedPostgresDatabase;
import dev.runners.server.support.TcpProxy;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC "Failure behaviour": while the database is unreachable, API calls answer 503 with
 * Retry-After in bounded time and readiness is DOWN; the service recovers by itself.
 */
@OnProxiedPostgres
class DatabaseOutagePostgresIT {
    /** Generous bound: the pool waits 3 s for a connection; no request may hang. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    @Inject
    WebTarget target;

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
        Fixtures fx = new Fixtures(new Http(target.getUri()));
        Http http = fx.http();
        String org = fx.organization();
        String key = fx.key(org, "runners:write");
        long runner = fx.runner(key, "outage-runner", List.of("gpu"), 3);
        fx.heartbeat(key, runner, "online");
        assertEquals(201, fx.pod(key, runner, "pod-1", "running").status());

        TcpProxy proxy = ProxiedPostgresDatabase.proxy();
        proxy.cut();
        try {
            for (String path : List.of("/api/v1/runners", "/api/v1/runners/" + runner,
                    "/api/v1/runners/available", "/api/v1/runners/" + runner + "/pods")) {
                Instant start = Instant.now();
                Http.Reply reply = http.get(path, Fixtures.bearer(key));
                assertTrue(Duration.between(start, Instant.now()).compareTo(BOUND) < 0, "took too long: " + path);
                assertEquals(503, reply.status(), reply::toString);
                assertEquals("SERVICE_UNAVAILABLE", reply.code());
                assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
                assertTrue(reply.header("Retry-After").isPresent(), "Retry-After on " + path);
            }
            Http.Reply write = fx.pod(key, runner, "pod-during-outage", "running");
            assertEquals(503, write.status(), write::toString);

            Http.Reply ready = http.get("/health/ready");
            assertEquals(503, ready.status(), ready::toString);
            assertEquals("DOWN", ready.json().getString("status"));
        } finally {
            proxy.restore();
        }

        Http.Reply after = awaitStatus(http, "/api/v1/runners/" + runner + "/pods", key, 200);
        assertEquals(1, after.json().getInt("total"), "the write refused during the outage must not exist");
        assertEquals("pod-1", after.json().getJsonArray("pods").getJsonObject(0).getString("key"));
        assertEquals(200, http.get("/health/ready").status());
        assertEquals(201, fx.pod(key, runner, "pod-2", "running").status());
    }

    private static Http.Reply awaitStatus(Http http, String path, String key, int status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        Http.Reply reply = http.get(path, Fixtures.bearer(key));
        while (reply.status() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            reply = http.get(path, Fixtures.bearer(key));
        }
        assertEquals(status, reply.status(), reply::toString);
        return reply;
    }
}
