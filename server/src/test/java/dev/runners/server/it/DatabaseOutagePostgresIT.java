package dev.runners.server.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnProxiedPostgres;
import dev.runners.server.support.ProxiedPostgresDatabase;
import dev.runners.server.support.TcpProxy;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC "Failure behaviour": while the database is unreachable, API calls answer 503 with
 * Retry-After in bounded time and readiness is DOWN; the service recovers by itself. A partition
 * that drops packets without resetting connections is the same case, within 5 s (v1.1).
 */
@OnProxiedPostgres
class DatabaseOutagePostgresIT {
    /** Generous bound: the pool waits 3 s for a connection; no request may hang. */
    private static final Duration BOUND = Duration.ofSeconds(15);
    /** SPEC v1.1: every request answers within 5 s during a partition. */
    private static final Duration PARTITION_BOUND = Duration.ofSeconds(5);

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

    /** An answer, when its request was sent and when it was answered. */
    private record Timed(String what, Http.Reply reply, Instant sent, Instant answered) {
        static Timed of(String what, Instant sent, Http.Reply reply) {
            return new Timed(what, reply, sent, Instant.now());
        }

        /** How long it took, counted from {@code partitioned} for a request sent before. */
        Duration took(Instant partitioned) {
            return Duration.between(sent.isAfter(partitioned) ? sent : partitioned, answered);
        }
    }

    @Test
    void aPartitionThatDropsPacketsAnswers503Within5sEvenToRequestsHoldingAConnection() throws Exception {
        Fixtures fx = new Fixtures(new Http(target.getUri()));
        Http http = fx.http();
        String org = fx.organization();
        String key = fx.key(org, "runners:write");
        String[] auth = Fixtures.bearer(key);
        long runner = fx.runner(key, "partitioned-runner", List.of("gpu"), 3);
        JsonObject beat = fx.heartbeat(key, runner, "online");
        assertEquals(201, fx.pod(key, runner, "pod-1", "running").status());

        TcpProxy proxy = ProxiedPostgresDatabase.proxy();
        ExecutorService clients = Executors.newCachedThreadPool();
        List<Timed> answers = new ArrayList<>();
        Timed ready;
        Instant partitioned;
        try {
            Future<Timed> holding;
            try (Connection direct = ProxiedPostgresDatabase.directConnection()) {
                // a pod report that holds its pooled connection while PostgreSQL makes it wait for the
                // runner's row, which this test has locked; the partition starts during that wait
                direct.setAutoCommit(false);
                try (PreparedStatement lock = direct.prepareStatement("SELECT id FROM runners WHERE id = ? FOR UPDATE")) {
                    lock.setLong(1, runner);
                    lock.executeQuery().close();
                }
                Instant sent = Instant.now();
                holding = clients.submit(() -> Timed.of("a pod report holding a connection", sent,
                        fx.pod(key, runner, "pod-held", "running")));
                awaitLockWait(direct);
                proxy.blackHole();
                partitioned = Instant.now();
                // PostgreSQL now runs that write; its answer is lost in the partition
                direct.commit();
            }
            List<Future<Timed>> during = new ArrayList<>();
            for (String path : List.of("/api/v1/runners", "/api/v1/runners/" + runner, "/api/v1/runners/available",
                    "/api/v1/runners/" + runner + "/pods")) {
                during.add(clients.submit(() -> {
                    Instant start = Instant.now();
                    return Timed.of("GET " + path, start, http.get(path, auth));
                }));
            }
            during.add(clients.submit(() -> {
                Instant start = Instant.now();
                return Timed.of("a registration", start, http.post("/api/v1/runners",
                        "{\"name\":\"during\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}", auth));
            }));
            during.add(clients.submit(() -> {
                Instant start = Instant.now();
                return Timed.of("a heartbeat", start, http.post("/api/v1/runners/" + runner + "/heartbeat",
                        "{\"status\":\"online\"}", auth));
            }));
            during.add(clients.submit(() -> {
                Instant start = Instant.now();
                return Timed.of("a pod report", start, fx.pod(key, runner, "pod-during", "running"));
            }));
            Instant start = Instant.now();
            ready = Timed.of("readiness", start, http.get("/health/ready"));
            answers.add(holding.get(60, TimeUnit.SECONDS));
            for (Future<Timed> answer : during) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            proxy.restore();
            clients.shutdownNow();
        }

        answers.forEach(a -> System.out.printf("during the partition: %s -> %d in %d ms%n", a.what(),
                a.reply().status(), a.took(partitioned).toMillis()));
        for (Timed answer : answers) {
            Duration took = answer.took(partitioned);
            assertTrue(took.compareTo(PARTITION_BOUND) < 0, () -> answer.what() + " took " + took);
            assertEquals(503, answer.reply().status(), () -> answer.what() + ": " + answer.reply());
            assertEquals("SERVICE_UNAVAILABLE", answer.reply().code());
            assertTrue(answer.reply().header("Retry-After").isPresent(), () -> "Retry-After on " + answer.what());
        }
        assertTrue(ready.took(partitioned).compareTo(PARTITION_BOUND) < 0, () -> "readiness took "
                + ready.took(partitioned));
        assertEquals(503, ready.reply().status(), ready.reply()::toString);
        assertEquals("DOWN", ready.reply().json().getString("status"));

        // the service recovers by itself, with every acknowledged write
        Http.Reply pods = awaitStatus(http, "/api/v1/runners/" + runner + "/pods", key, 200);
        assertTrue(pods.json().getJsonArray("pods").getValuesAs(JsonObject.class).stream()
                .anyMatch(p -> p.getString("key").equals("pod-1") && p.getString("status").equals("running")), pods::toString);
        JsonObject after = http.get("/api/v1/runners/" + runner, auth).json().getJsonObject("runner");
        assertEquals("partitioned-runner", after.getString("name"));
        assertEquals(beat.getString("last_heartbeat_at"), after.getString("last_heartbeat_at"));
        assertEquals(200, http.get("/health/ready").status());
        assertEquals(201, fx.pod(key, runner, "pod-2", "running").status());
    }

    /** Waits until a session of the test's database waits for a lock (the held request). */
    private static void awaitLockWait(Connection direct) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        try (PreparedStatement waiting = direct.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the pod report never waited for the runner's row");
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
