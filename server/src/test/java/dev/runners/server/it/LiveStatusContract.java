package dev.runners.server.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.runners.server.support.TestClock;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.assertTimestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Status and availability": status is computed when read, from heartbeats, pod counts and the
 * server's clock; a runner is available exactly when it is online. The clock is shared by the
 * tests of this class, so each test heartbeats its own runners after any move of the clock.
 */
abstract class LiveStatusContract extends ApiContract {
    @Inject
    TestClock clock;

    private void assertStatus(Org t, long id, String status) {
        assertEquals(status, getRunner(t, id).getString("status"), "GET /runners/" + id);
        assertTrue(ids(runnerList(t, "?status=" + status)).contains(id), "listed as " + status);
        assertEquals("online".equals(status), availableIds(t).contains(id), "available exactly when online");
    }

    @Test
    void anOfflineHeartbeatTakesTheRunnerOutAtOnceAndAnOnlineOneBringsItBack() {
        Org t = organization();
        long id = runner(t, "flapping");
        long other = runner(t, "steady");
        fx.heartbeat(t.write(), other, "online");
        assertStatus(t, id, "offline");

        assertEquals("online", fx.heartbeat(t.write(), id, "online").getString("status"));
        assertStatus(t, id, "online");
        assertEquals(List.of(id, other), availableIds(t));

        JsonObject off = fx.heartbeat(t.write(), id, "offline");
        assertEquals("offline", off.getString("status"));
        assertTimestamp(off, "last_heartbeat_at");
        assertStatus(t, id, "offline");
        assertEquals(List.of(other), availableIds(t));

        assertEquals("online", fx.heartbeat(t.write(), id, "online").getString("status"));
        assertStatus(t, id, "online");
        assertEquals(List.of(id, other), availableIds(t));
    }

    @Test
    void aRunnerIsBusyWhileItsActivePodsFillItsSlots() {
        Org t = organization();
        long id = runner(t, "small", 2);
        fx.heartbeat(t.write(), id, "online");
        pod(t, id, "p1", "running", 201);
        assertStatus(t, id, "online");
        JsonObject available = runnerList(t, "/available").getJsonArray("runners").getJsonObject(0);
        assertEquals(1, available.getInt("pod_count"));

        pod(t, id, "p2", "initializing", 201);
        assertEquals(2, podCount(t, id));
        assertStatus(t, id, "busy");

        // a finished pod frees its slot
        pod(t, id, "p1", "completed", 200);
        assertEquals(1, podCount(t, id));
        assertStatus(t, id, "online");

        // a terminal pod never takes one
        pod(t, id, "p3", "error", 201);
        assertStatus(t, id, "online");

        // lowering max_pods to the pod count makes it busy; raising it frees it again
        JsonObject lowered = heartbeat(t, id, "{\"status\":\"online\",\"max_pods\":1}").json().getJsonObject("runner");
        assertEquals("busy", lowered.getString("status"));
        assertStatus(t, id, "busy");
        heartbeat(t, id, "{\"status\":\"online\",\"max_pods\":3}");
        assertStatus(t, id, "online");

        // a busy runner that reports offline is offline
        pod(t, id, "p4", "paused", 201);
        pod(t, id, "p5", "disconnected", 201);
        assertStatus(t, id, "busy");
        fx.heartbeat(t.write(), id, "offline");
        assertStatus(t, id, "offline");
    }

    @Test
    void aHeartbeatOlderThanTheTimeoutMakesTheRunnerOffline() {
        Org t = organization();
        long id = runner(t, "silent");
        long busy = runner(t, "silent-busy", 1);
        JsonObject beat = fx.heartbeat(t.write(), id, "online");
        fx.heartbeat(t.write(), busy, "online");
        pod(t, busy, "only", "running", 201);
        assertStatus(t, id, "online");
        assertStatus(t, busy, "busy");

        // well inside the 90 s timeout
        clock.advance(Duration.ofSeconds(60));
        assertStatus(t, id, "online");
        assertStatus(t, busy, "busy");

        // past it: offline at once, on every read, whatever the pods
        clock.advance(Duration.ofSeconds(31));
        assertStatus(t, id, "offline");
        assertStatus(t, busy, "offline");
        assertEquals(List.of(), availableIds(t));
        assertEquals(beat.getString("last_heartbeat_at"), getRunner(t, id).getString("last_heartbeat_at"),
                "a read does not move the heartbeat");

        // reporting a pod is not a heartbeat
        pod(t, id, "late-pod", "running", 201);
        assertStatus(t, id, "offline");

        // the next heartbeat, at the server's (moved) time, brings it back
        Instant before = clock.instant().minusMillis(1);
        JsonObject back = fx.heartbeat(t.write(), id, "online");
        assertEquals("online", back.getString("status"));
        assertTrue(Instant.parse(back.getString("last_heartbeat_at")).isAfter(before), back::toString);
        assertStatus(t, id, "online");
        assertEquals(List.of(id), availableIds(t));
    }

    @Test
    void aRunnerRegisteredAfterTheClockMovedIsJudgedByTheSameClock() {
        clock.advance(Duration.ofSeconds(91));
        Org t = organization();
        long id = runner(t, "fresh");
        assertStatus(t, id, "offline");
        fx.heartbeat(t.write(), id, "online");
        assertStatus(t, id, "online");
        clock.advance(Duration.ofSeconds(91));
        assertStatus(t, id, "offline");
        fx.heartbeat(t.write(), id, "online");
        assertStatus(t, id, "online");
    }
}
