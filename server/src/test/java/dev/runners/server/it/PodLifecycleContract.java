package dev.runners.server.it;

import java.util.ArrayList;
import java.util.List;

import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.POD_FIELDS;
import static dev.runners.server.support.ApiAssertions.assertTimestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SPEC endpoint 7, PUT /runners/{id}/pods/{key}, and the pod status rules, read back over the API. */
abstract class PodLifecycleContract extends ApiContract {

    @Test
    void putCreatesWith201AndUpdatesWith200() {
        Org t = organization();
        long id = runner(t, "host");
        Http.Reply created = putPod(t, id, "pod-1", "initializing", "claude-code", "Fix the build");
        assertEquals(201, created.status(), created::toString);
        assertEquals(java.util.Set.of("pod"), created.json().keySet());
        JsonObject pod = created.json().getJsonObject("pod");
        assertEquals(POD_FIELDS, pod.keySet(), pod::toString);
        assertEquals("pod-1", pod.getString("key"));
        assertEquals("initializing", pod.getString("status"));
        assertEquals("claude-code", pod.getString("agent_type_id"));
        assertEquals("Fix the build", pod.getString("initial_prompt"));
        assertTimestamp(pod, "created_at");
        assertEquals(pod, onlyPod(t, id, "pod-1"));

        Http.Reply updated = putPod(t, id, "pod-1", "running", "claude-code", "Fix the build");
        assertEquals(200, updated.status(), updated::toString);
        JsonObject after = updated.json().getJsonObject("pod");
        assertEquals("running", after.getString("status"));
        assertEquals(pod.getString("created_at"), after.getString("created_at"), "created_at is kept");
        assertEquals(after, onlyPod(t, id, "pod-1"));

        // the prompt may be left out of later reports; it stays as it was
        Http.Reply noPrompt = putPod(t, id, "pod-1", "paused", "claude-code", null);
        assertEquals(200, noPrompt.status(), noPrompt::toString);
        assertEquals("Fix the build", noPrompt.json().getJsonObject("pod").getString("initial_prompt"));
        assertEquals("paused", onlyPod(t, id, "pod-1").getString("status"));

        // the same status again is a 200 too
        Http.Reply same = putPod(t, id, "pod-1", "paused", "claude-code", null);
        assertEquals(200, same.status(), same::toString);
        assertEquals(1, pods(t, id).size());
    }

    @Test
    void aPodWithoutPromptHasNullPrompt() {
        Org t = organization();
        long id = runner(t, "host");
        JsonObject pod = pod(t, id, "bare", "running", 201);
        assertEquals(JsonValue.NULL, pod.get("initial_prompt"));
        assertEquals(JsonValue.NULL, onlyPod(t, id, "bare").get("initial_prompt"));
    }

    @Test
    void podCountCountsActivePodsOnly() {
        Org t = organization();
        long id = runner(t, "counted", 20);
        int expected = 0;
        for (String status : ACTIVE) {
            pod(t, id, "a-" + status, status, 201);
            assertEquals(++expected, podCount(t, id), "after a " + status + " pod");
        }
        for (String status : TERMINAL) {
            pod(t, id, "t-" + status, status, 201);
            assertEquals(expected, podCount(t, id), "after a " + status + " pod");
        }
        assertEquals(8, pods(t, id).size());
        assertEquals(4, podCount(t, id));
        assertEquals(4, podPage(t, id).getInt("total") - TERMINAL.size());

        // moving between active statuses keeps the count; ending a pod lowers it
        pod(t, id, "a-initializing", "paused", 200);
        pod(t, id, "a-paused", "disconnected", 200);
        pod(t, id, "a-disconnected", "running", 200);
        assertEquals(4, podCount(t, id));
        pod(t, id, "a-running", "orphaned", 200);
        assertEquals(3, podCount(t, id));
        pod(t, id, "a-initializing", "terminated", 200);
        assertEquals(2, podCount(t, id));
        assertEquals(countActive(pods(t, id)), podCount(t, id));

        // the list agrees
        Http.Reply active = http.get(RUNNERS + "/" + id
                + "/pods?status=initializing&status=running&status=paused&status=disconnected", t.auth());
        assertEquals(200, active.status(), active::toString);
        assertEquals(2, active.json().getInt("total"));
    }

    @Test
    void agentTypeAndPromptAreFixedAtCreation() {
        Org t = organization();
        long id = runner(t, "host");
        assertEquals(201, putPod(t, id, "fixed", "initializing", "claude-code", "hello").status());
        JsonObject before = onlyPod(t, id, "fixed");

        assertProblem(putPod(t, id, "fixed", "running", "other-agent", "hello"), 409, "IMMUTABLE_FIELD");
        assertProblem(putPod(t, id, "fixed", "running", "claude-code", "goodbye"), 409, "IMMUTABLE_FIELD");
        assertProblem(putPod(t, id, "fixed", "running", "claude-code", ""), 409, "IMMUTABLE_FIELD");
        assertProblem(putPod(t, id, "fixed", "running", "other-agent", null), 409, "IMMUTABLE_FIELD");
        assertEquals(before, onlyPod(t, id, "fixed"), "a refused report changes nothing");
        assertEquals(1, podCount(t, id));

        // a pod made without a prompt cannot get one later
        assertEquals(201, putPod(t, id, "no-prompt", "running", "claude-code", null).status());
        assertProblem(putPod(t, id, "no-prompt", "running", "claude-code", "late"), 409, "IMMUTABLE_FIELD");
        assertEquals(JsonValue.NULL, onlyPod(t, id, "no-prompt").get("initial_prompt"));

        // a refused change of status together with an immutable field leaves the status
        assertProblem(putPod(t, id, "no-prompt", "completed", "other-agent", null), 409, "IMMUTABLE_FIELD");
        assertEquals("running", onlyPod(t, id, "no-prompt").getString("status"));
        assertEquals(2, podCount(t, id));
    }

    @Test
    void aPodKeyBelongsToOneRunnerOfTheOrganization() {
        Org t = organization();
        long first = runner(t, "first");
        long second = runner(t, "second");
        pod(t, first, "shared-key", "running", 201);

        assertProblem(fx.pod(t.write(), second, "shared-key", "running"), 409, "POD_KEY_TAKEN");
        assertProblem(fx.pod(t.write(), second, "shared-key", "completed"), 409, "POD_KEY_TAKEN");
        assertEquals(List.of(), pods(t, second));
        assertEquals(0, podCount(t, second));
        assertEquals("running", onlyPod(t, first, "shared-key").getString("status"));
        assertEquals(1, podCount(t, first));

        // another organization has keys of its own
        Org other = organization();
        long theirs = runner(other, "first");
        pod(other, theirs, "shared-key", "paused", 201);
        assertEquals("paused", onlyPod(other, theirs, "shared-key").getString("status"));
        assertEquals("running", onlyPod(t, first, "shared-key").getString("status"));

        // and a runner of one organization cannot be written with another's key
        assertProblem(fx.pod(t.write(), theirs, "x", "running"), 404, "NOT_FOUND");
        assertEquals(1, pods(other, theirs).size());
    }

    @Test
    void aTerminalPodNeverMovesAgain() {
        Org t = organization();
        long id = runner(t, "terminal", 20);
        for (String terminal : TERMINAL) {
            String key = "ends-" + terminal;
            pod(t, id, key, "running", 201);
            JsonObject ended = pod(t, id, key, terminal, 200);
            assertEquals(terminal, ended.getString("status"));

            // the same terminal status again is an idempotent 200
            JsonObject again = pod(t, id, key, terminal, 200);
            assertEquals(ended, again);

            List<String> others = new ArrayList<>(ACTIVE);
            others.addAll(TERMINAL);
            others.remove(terminal);
            for (String next : others) {
                Http.Reply refused = fx.pod(t.write(), id, key, next);
                assertProblem(refused, 409, "INVALID_TRANSITION");
            }
            assertEquals(ended, onlyPod(t, id, key));
        }
        assertEquals(0, podCount(t, id));

        // created directly in a terminal status: also final
        JsonObject born = pod(t, id, "born-done", "completed", 201);
        assertEquals("completed", born.getString("status"));
        assertProblem(fx.pod(t.write(), id, "born-done", "running"), 409, "INVALID_TRANSITION");
        assertEquals(0, podCount(t, id));
        assertEquals(countActive(pods(t, id)), podCount(t, id));
    }

    @Test
    void anInvalidKeyInThePathIs400NamingKey() {
        Org t = organization();
        long id = runner(t, "host");
        List<String> bad = List.of("-leading-dash", ".dot", "_under", "a%20b", "caf%C3%A9", "star*", "x".repeat(101),
                "a%2Bb", "%F0%9F%98%80");
        for (String key : bad) {
            Http.Reply reply = fx.pod(t.write(), id, key, "running");
            assertProblem(reply, 400, "INVALID_PARAMETER", List.of("key"));
            assertEquals("key", reply.json().getJsonArray("errors").getJsonObject(0).getString("parameter"));
        }
        assertEquals(List.of(), pods(t, id));
        assertEquals(0, podCount(t, id));

        // the edges of the rule are accepted
        pod(t, id, "x".repeat(100), "running", 201);
        pod(t, id, "A", "running", 201);
        pod(t, id, "0.a_b-C", "running", 201);
        assertEquals(3, podCount(t, id));
    }

    @Test
    void podsOfAnUnknownRunnerAre404() {
        Org t = organization();
        assertProblem(fx.pod(t.write(), 9_000_000_000L, "p", "running"), 404, "NOT_FOUND");
        assertProblem(http.put(RUNNERS + "/x/pods/p", "{\"status\":\"running\",\"agent_type_id\":\"a\"}", t.auth()),
                400, "INVALID_PARAMETER", List.of("id"));
    }

    static int countActive(List<JsonObject> pods) {
        return (int) pods.stream().filter(p -> ACTIVE.contains(p.getString("status"))).count();
    }
}
