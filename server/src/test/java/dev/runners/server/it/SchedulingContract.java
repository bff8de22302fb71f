package dev.runners.server.it;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.RUNNER_FIELDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Endpoint 8a: a PATCH cordons or uncordons a runner; availability follows it, the status and the
 * pods are untouched, heartbeats never change it and show it.
 */
abstract class SchedulingContract extends ApiContract {
    static final String MERGE_PATCH = "application/merge-patch+json";

    Http.Reply patch(Org t, long id, String contentType, String body) {
        return send("PATCH", RUNNERS + "/" + id, contentType, HttpRequest.BodyPublishers.ofString(body), t);
    }

    JsonObject schedulable(Org t, long id, boolean value, String contentType) {
        Http.Reply reply = patch(t, id, contentType, "{\"schedulable\":" + value + "}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(Set.of("runner"), reply.json().keySet());
        JsonObject runner = reply.json().getJsonObject("runner");
        assertEquals(RUNNER_FIELDS, runner.keySet());
        assertEquals(value, runner.getBoolean("schedulable"), runner::toString);
        return runner;
    }

    @Test
    void aCordonedRunnerKeepsItsStatusAndPodsButIsNotAvailable() {
        Org t = organization();
        long id = runner(t, "drained", 2);
        long other = runner(t, "steady", 2);
        fx.heartbeat(t.write(), id, "online");
        fx.heartbeat(t.write(), other, "online");
        pod(t, id, "p1", "running", 201);
        assertEquals(List.of(id, other).size(), availableIds(t).size());

        JsonObject cordoned = schedulable(t, id, false, MERGE_PATCH);
        assertEquals("online", cordoned.getString("status"));
        assertEquals(1, cordoned.getInt("pod_count"));
        assertEquals(cordoned, getRunner(t, id), "reads back as answered");
        assertEquals(List.of(other), availableIds(t));
        assertTrue(ids(runnerList(t, "?status=online")).contains(id), "still listed as online");

        // a busy or offline runner stays busy or offline while cordoned
        pod(t, id, "p2", "running", 201);
        assertEquals("busy", getRunner(t, id).getString("status"));
        fx.heartbeat(t.write(), id, "offline");
        assertEquals("offline", getRunner(t, id).getString("status"));

        // heartbeats never change it, and the heartbeat response shows it (the agent learns it is drained)
        JsonObject beat = fx.heartbeat(t.write(), id, "online");
        assertFalse(beat.getBoolean("schedulable"), beat::toString);
        pod(t, id, "p2", "completed", 200);
        assertEquals(List.of(other), availableIds(t));

        JsonObject uncordoned = schedulable(t, id, true, "application/json");
        assertEquals("online", uncordoned.getString("status"));
        assertEquals(List.of(other, id), availableIds(t), "most free slots first");
        assertTrue(fx.heartbeat(t.write(), id, "online").getBoolean("schedulable"));

        // the same value again changes nothing and answers the runner
        assertEquals(uncordoned.getString("status"), schedulable(t, id, true, MERGE_PATCH).getString("status"));
    }

    @Test
    void aPatchCarriesExactlyTheBooleanSchedulable() {
        Org t = organization();
        long id = runner(t, "strict");
        assertFieldErrors(patch(t, id, MERGE_PATCH, "{}"), "INVALID_FIELD", "schedulable");
        assertFieldErrors(patch(t, id, MERGE_PATCH, "{\"schedulable\":null}"), "INVALID_FIELD", "schedulable");
        assertFieldErrors(patch(t, id, MERGE_PATCH, "{\"schedulable\":\"false\"}"), "INVALID_FIELD", "schedulable");
        assertFieldErrors(patch(t, id, "application/json", "{\"schedulable\":0}"), "INVALID_FIELD", "schedulable");
        assertFieldErrors(patch(t, id, MERGE_PATCH, "{\"schedulable\":false,\"name\":\"x\"}"), "UNKNOWN_FIELD", "name");
        assertProblem(patch(t, id, "text/plain", "{\"schedulable\":false}"), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(patch(t, id, MERGE_PATCH, "{\"schedulable\":"), 400, "MALFORMED_JSON");
        // a merge patch is for PATCH only
        assertProblem(send("POST", RUNNERS + "/" + id + "/heartbeat", MERGE_PATCH,
                HttpRequest.BodyPublishers.ofString("{\"status\":\"online\"}"), t), 415, "UNSUPPORTED_MEDIA_TYPE");
        // nothing was changed by the refused requests
        assertTrue(getRunner(t, id).getBoolean("schedulable"));
    }

    @Test
    void aPatchNeedsTheWriteScopeAndAnExistingRunnerOfTheOrganization() {
        Org t = organization();
        long id = runner(t, "guarded");
        String readKey = fx.key(t.slug(), READ);
        Http.Reply reply = http.call("PATCH", RUNNERS + "/" + id).body(MERGE_PATCH,
                HttpRequest.BodyPublishers.ofString("{\"schedulable\":false}")).headers(
                Fixtures.bearer(readKey)).send();
        assertProblem(reply, 403, "INSUFFICIENT_SCOPE");
        Org stranger = organization();
        assertProblem(patch(stranger, id, MERGE_PATCH, "{\"schedulable\":false}"), 404, "NOT_FOUND");
        assertProblem(patch(t, 999_999_999L, MERGE_PATCH, "{\"schedulable\":false}"), 404, "NOT_FOUND");
        assertTrue(getRunner(t, id).getBoolean("schedulable"), "refused requests changed nothing");
    }
}
