package dev.runners.server.it;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.TestClock;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.RUNNER_FIELDS;
import static dev.runners.server.support.ApiAssertions.assertTimestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC endpoints 5, 6 and 8: registering, heartbeats and deleting, read back over the API. */
abstract class WriteApiContract extends ApiContract {
    @Inject
    TestClock clock;

    // ---- 5. POST /runners

    @Test
    void registrationAnswers201WithLocationAndAnOfflineRunner() {
        Org t = organization();
        Instant before = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Http.Reply reply = register(t, registration("gpu-box-1")
                .add("labels", array(List.of("zeta", "alpha", "zeta", "gpu", "alpha"))).build().toString());
        Instant after = clock.instant();

        assertEquals(201, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply::toString);
        JsonObject runner = reply.json().getJsonObject("runner");
        assertEquals(Set.of("runner"), reply.json().keySet());
        assertEquals(RUNNER_FIELDS, runner.keySet(), runner::toString);
        long id = runner.getJsonNumber("id").longValue();
        assertTrue(id > 0, runner::toString);
        String location = reply.header("Location").orElseThrow(() -> new AssertionError("no Location: " + reply));
        assertTrue(location.endsWith("/api/v1/runners/" + id), location);
        assertEquals("/api/v1/runners/" + id, URI.create(location).getPath(), location);

        assertEquals("gpu-box-1", runner.getString("name"));
        assertEquals("offline", runner.getString("status"));
        assertEquals("1.2.0", runner.getString("version"));
        assertEquals("linux", runner.getString("os"));
        assertEquals("amd64", runner.getString("arch"));
        assertEquals(array(List.of("alpha", "gpu", "zeta")), runner.getJsonArray("labels"));
        assertEquals(0, runner.getInt("pod_count"));
        assertEquals(10, runner.getInt("max_pods"));
        assertTrue(runner.getBoolean("schedulable"), "schedulable at registration");
        assertEquals(JsonValue.NULL, runner.get("last_heartbeat_at"));
        assertTimestamp(runner, "created_at");
        Instant created = Instant.parse(runner.getString("created_at"));
        assertFalse(created.isBefore(before) || created.isAfter(after), () -> created + " not in " + before + ".."
                + after);

        // the Location names the runner, which reads back as it was answered
        Http.Reply read = http.get("/api/v1/runners/" + id, t.auth());
        assertEquals(200, read.status(), read::toString);
        assertEquals(runner, read.json().getJsonObject("runner"));
        assertEquals(List.of(id), ids(runnerList(t, "?status=offline")));
        assertEquals(List.of(), availableIds(t));
    }

    @Test
    void registrationWithoutLabelsAndWithMaxPods() {
        Org t = organization();
        Http.Reply reply = register(t, registration("plain").add("max_pods", 3).build().toString());
        assertEquals(201, reply.status(), reply::toString);
        JsonObject runner = reply.json().getJsonObject("runner");
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, runner.getJsonArray("labels"));
        assertEquals(3, runner.getInt("max_pods"));
        assertEquals(runner, getRunner(t, runner.getJsonNumber("id").longValue()));
    }

    @Test
    void runnerNamesAreUniqueWithinAnOrganizationOnly() {
        Org t = organization();
        long first = runner(t, "builder");
        Http.Reply again = register(t, registration("builder").add("max_pods", 5).build().toString());
        assertProblem(again, 409, "RUNNER_NAME_TAKEN");
        assertEquals(1, runnerTotal(t));
        assertEquals(10, getRunner(t, first).getInt("max_pods"), "the existing runner is untouched");

        Org other = organization();
        Http.Reply elsewhere = register(other, registration("builder").build().toString());
        assertEquals(201, elsewhere.status(), elsewhere::toString);
        assertEquals(1, runnerTotal(other));
        assertEquals(1, runnerTotal(t));
    }

    @Test
    void eachOrganizationReadsBackOnlyWhatItWrote() {
        Org a = organization();
        Org b = organization();
        Org empty = organization();
        long ra = fx.runner(a.write(), "same-name", List.of("gpu"), 10);
        long rb = fx.runner(b.write(), "same-name", List.of("cpu"), 10);
        fx.heartbeat(a.write(), ra, "online");
        fx.heartbeat(b.write(), rb, "online");
        // the same reads, interleaved between the organizations, each answered for its caller
        for (int round = 0; round < 2; round++) {
            assertEquals(List.of(ra), ids(runnerList(a, "")), "runners of a");
            assertEquals(List.of(rb), ids(runnerList(b, "")), "runners of b");
            assertEquals(List.of(), ids(runnerList(empty, "")), "runners of an organization without runners");
            assertEquals(List.of(ra), availableIds(a), "available of a");
            assertEquals(List.of(rb), availableIds(b), "available of b");
            assertEquals(List.of(), availableIds(empty), "available of an organization without runners");
            assertEquals(List.of(), ids(runnerList(a, "?label=cpu")), "a has no cpu runner");
            assertEquals(List.of(rb), ids(runnerList(b, "?label=cpu")), "b has one");
            assertEquals(List.of(), ids(runnerList(b, "?status=offline")), "b has no offline runner");
        }
        assertProblem(http.get(RUNNERS + "/" + rb, a.auth()), 404, "NOT_FOUND");
    }

    @Test
    void registrationNeedsTheWriteScope() {
        String org = fx.organization();
        String readKey = fx.key(org, READ);
        Http.Reply reply = http.post(RUNNERS, registration("r").build().toString(), Fixtures.bearer(readKey));
        assertProblem(reply, 403, "INSUFFICIENT_SCOPE");
        Http.Reply list = http.get(RUNNERS, Fixtures.bearer(readKey));
        assertEquals(0, list.json().getInt("total"), list::toString);
    }

    // ---- 6. POST /runners/{id}/heartbeat

    @Test
    void heartbeatMakesTheRunnerOnlineAtTheServersTime() {
        Org t = organization();
        long id = runner(t, "hb");
        Instant before = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Http.Reply reply = heartbeat(t, id, "{\"status\":\"online\"}");
        Instant after = clock.instant();

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(Set.of("runner"), reply.json().keySet());
        JsonObject runner = reply.json().getJsonObject("runner");
        assertEquals(RUNNER_FIELDS, runner.keySet());
        assertEquals("online", runner.getString("status"));
        Instant beat = assertTimestamp(runner, "last_heartbeat_at");
        assertFalse(beat.isBefore(before) || beat.isAfter(after), () -> beat + " not in " + before + ".." + after);

        JsonObject read = getRunner(t, id);
        assertEquals("online", read.getString("status"));
        assertEquals(beat, assertTimestamp(read, "last_heartbeat_at"));
        assertEquals(List.of(id), availableIds(t));
        assertEquals(List.of(id), ids(runnerList(t, "?status=online")));
    }

    @Test
    void aHeartbeatCannotCarryTheClientsTime() {
        Org t = organization();
        long id = runner(t, "clienttime");
        JsonObject before = getRunner(t, id);
        Http.Reply reply = heartbeat(t, id, "{\"status\":\"online\",\"last_heartbeat_at\":\"2030-01-01T00:00:00Z\"}");
        assertFieldErrors(reply, "UNKNOWN_FIELD", "last_heartbeat_at");
        assertEquals(before, getRunner(t, id));
        assertEquals(JsonValue.NULL, getRunner(t, id).get("last_heartbeat_at"));

        // and once it has beaten, a later attempt does not move the time either
        JsonObject beaten = fx.heartbeat(t.write(), id, "online");
        Http.Reply again = heartbeat(t, id, "{\"status\":\"online\",\"last_heartbeat_at\":\"2030-01-01T00:00:00Z\"}");
        assertFieldErrors(again, "UNKNOWN_FIELD", "last_heartbeat_at");
        assertEquals(beaten.getString("last_heartbeat_at"), getRunner(t, id).getString("last_heartbeat_at"));
    }

    @Test
    void heartbeatReplacesTheOptionalFields() {
        Org t = organization();
        long id = fx.runner(t.write(), "changing", List.of("gpu", "x86"), 10);
        Http.Reply reply = heartbeat(t, id, Json.createObjectBuilder()
                .add("status", "online").add("version", "2.0.0-rc.1").add("os", "darwin").add("arch", "arm64")
                .add("labels", array(List.of("metal", "apple", "metal"))).add("max_pods", 4).build().toString());
        assertEquals(200, reply.status(), reply::toString);
        JsonObject runner = reply.json().getJsonObject("runner");
        assertEquals("2.0.0-rc.1", runner.getString("version"));
        assertEquals("darwin", runner.getString("os"));
        assertEquals("arm64", runner.getString("arch"));
        assertEquals(array(List.of("apple", "metal")), runner.getJsonArray("labels"));
        assertEquals(4, runner.getInt("max_pods"));
        assertEquals("changing", runner.getString("name"));

        JsonObject read = getRunner(t, id);
        assertEquals(runner, read);
        // the label filters follow the new labels
        assertEquals(List.of(id), ids(runnerList(t, "?label=apple&label=metal")));
        assertEquals(List.of(), ids(runnerList(t, "?label=gpu")));
        assertEquals(List.of(id), ids(runnerList(t, "/available?label=metal")));
        assertEquals(List.of(), ids(runnerList(t, "/available?label=x86")));

        // a heartbeat without the optional fields keeps them
        JsonObject kept = fx.heartbeat(t.write(), id, "online");
        assertEquals(without(runner, "last_heartbeat_at"), without(kept, "last_heartbeat_at"));

        // an empty label list replaces the labels too
        Http.Reply cleared = heartbeat(t, id, "{\"status\":\"online\",\"labels\":[]}");
        assertEquals(200, cleared.status(), cleared::toString);
        assertEquals(JsonValue.EMPTY_JSON_ARRAY, getRunner(t, id).getJsonArray("labels"));
        assertEquals(List.of(), ids(runnerList(t, "?label=metal")));
    }

    @Test
    void heartbeatOfAnUnknownOrForeignRunnerIs404() {
        Org t = organization();
        Org other = organization();
        long foreign = runner(other, "theirs");
        assertProblem(heartbeat(t, foreign, "{\"status\":\"online\"}"), 404, "NOT_FOUND");
        assertProblem(heartbeat(t, 9_000_000_000L, "{\"status\":\"online\"}"), 404, "NOT_FOUND");
        assertEquals("offline", getRunner(other, foreign).getString("status"));
        assertEquals(JsonValue.NULL, getRunner(other, foreign).get("last_heartbeat_at"));
        assertProblem(http.post(RUNNERS + "/abc/heartbeat", "{\"status\":\"online\"}", t.auth()), 400,
                "INVALID_PARAMETER", List.of("id"));
    }

    // ---- 8. DELETE /runners/{id}

    @Test
    void deleteRemovesTheRunnerAndItsPods() {
        Org t = organization();
        long id = runner(t, "doomed");
        long kept = runner(t, "kept");
        fx.heartbeat(t.write(), id, "online");
        pod(t, id, "pod-a", "running", 201);
        pod(t, id, "pod-b", "completed", 201);
        pod(t, kept, "pod-c", "running", 201);

        Http.Reply deleted = http.delete(RUNNERS + "/" + id, t.auth());
        assertEquals(204, deleted.status(), deleted::toString);
        assertEquals("", deleted.body());

        assertProblem(http.get(RUNNERS + "/" + id, t.auth()), 404, "NOT_FOUND");
        assertProblem(http.get(RUNNERS + "/" + id + "/pods", t.auth()), 404, "NOT_FOUND");
        assertEquals(List.of(kept), ids(runnerList(t, "")));
        assertEquals(List.of(), availableIds(t));
        assertProblem(heartbeat(t, id, "{\"status\":\"online\"}"), 404, "NOT_FOUND");
        assertProblem(fx.pod(t.write(), id, "pod-a", "running"), 404, "NOT_FOUND");

        // the pod keys are free again: another runner of the organization can take them
        long successor = runner(t, "successor");
        pod(t, successor, "pod-a", "running", 201);
        pod(t, successor, "pod-b", "running", 201);
        assertEquals(2, podCount(t, successor));
        assertEquals(1, podCount(t, kept));
        // a new runner can take the deleted runner's name, too
        long renamed = runner(t, "doomed");
        assertTrue(renamed != id);

        assertProblem(http.delete(RUNNERS + "/" + id, t.auth()), 404, "NOT_FOUND");
    }

    @Test
    void deleteOfAnUnknownOrForeignRunnerIs404() {
        Org t = organization();
        Org other = organization();
        long foreign = runner(other, "theirs");
        pod(other, foreign, "their-pod", "running", 201);

        assertProblem(http.delete(RUNNERS + "/9000000000", t.auth()), 404, "NOT_FOUND");
        assertProblem(http.delete(RUNNERS + "/" + foreign, t.auth()), 404, "NOT_FOUND");
        assertProblem(http.delete(RUNNERS + "/0", t.auth()), 400, "INVALID_PARAMETER", List.of("id"));
        assertEquals(foreign, getRunner(other, foreign).getJsonNumber("id").longValue());
        assertEquals(1, podCount(other, foreign));
        assertEquals("their-pod", onlyPod(other, foreign, "their-pod").getString("key"));
    }

}
