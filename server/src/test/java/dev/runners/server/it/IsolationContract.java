package dev.runners.server.it;

import java.util.List;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.assertJson;
import static dev.runners.server.support.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every read and write is confined to the key's organization; another's runners do not exist for it. */
abstract class IsolationContract extends ApiContract {
    /** An id no runner has, to compare "another organization's" with "does not exist". */
    private static final long NO_SUCH_RUNNER = 9_000_000_000_000_000_000L;

    @Test
    void anotherOrganizationsRunnerIsNotFoundOnEveryEndpoint() {
        Org a = organization();
        Org b = organization();
        long theirs = onlineRunner(a.write(), "theirs", List.of("gpu"), 5);
        pod(a.write(), theirs, "their-pod", "running");
        onlineRunner(b.write(), "ours", List.of("gpu"), 5);
        JsonObject before = read(RUNNERS + "/" + theirs, a.read()).getJsonObject("runner");

        assertAll(
                () -> assertLikeMissing(theirs, "GET", "", b.read()),
                () -> assertLikeMissing(theirs, "GET", "/pods", b.read()),
                () -> assertLikeMissing(theirs, "GET", "", b.write()),
                () -> assertLikeMissing(theirs, "GET", "/pods", b.write()),
                () -> assertLikeMissing(theirs, "POST", "/heartbeat", b.write()),
                () -> assertLikeMissing(theirs, "PUT", "/pods/their-pod", b.write()),
                () -> assertLikeMissing(theirs, "PUT", "/pods/new-pod", b.write()),
                () -> assertLikeMissing(theirs, "DELETE", "", b.write()));

        JsonObject after = read(RUNNERS + "/" + theirs, a.read()).getJsonObject("runner");
        assertEquals(before, after, "the other organization's attempts changed nothing");
        JsonObject pods = read(RUNNERS + "/" + theirs + "/pods", a.read());
        assertEquals(List.of("their-pod"), podKeys(pods));
        assertEquals("running", pods.getJsonArray("pods").getJsonObject(0).getString("status"));
    }

    @Test
    void listsShowOnlyTheCallersRunners() {
        Org a = organization();
        Org b = organization();
        long aOnline = onlineRunner(a.write(), "online", List.of("gpu"), 5);
        long aBusy = onlineRunner(a.write(), "busy", List.of("gpu"), 1);
        pod(a.write(), aBusy, "a-pod", "running");
        long aOffline = fx.runner(a.write(), "offline", List.of("gpu"), 5);
        long bOnline = onlineRunner(b.write(), "online", List.of("gpu"), 5);
        long bOffline = fx.runner(b.write(), "offline", List.of("cpu"), 5);

        for (String query : List.of("", "?status=online", "?status=busy", "?status=offline",
                "?status=online&status=busy&status=offline", "?label=gpu", "?limit=1000", "?offset=0")) {
            assertOnly(RUNNERS + query, b.read(), List.of(bOnline, bOffline), List.of(aOnline, aBusy, aOffline));
            assertOnly(RUNNERS + query, a.read(), List.of(aOnline, aBusy, aOffline), List.of(bOnline, bOffline));
        }
        for (String query : List.of("", "?label=gpu", "?limit=1000")) {
            assertOnly(RUNNERS + "/available" + query, b.read(), List.of(bOnline), List.of(aOnline, aBusy, aOffline));
            assertOnly(RUNNERS + "/available" + query, a.read(), List.of(aOnline), List.of(bOnline, bOffline));
        }
        JsonObject all = read(RUNNERS, b.read());
        assertEquals(List.of(bOnline, bOffline), ids(all));
        assertEquals(2, all.getInt("total"));
        JsonObject available = read(RUNNERS + "/available", b.read());
        assertEquals(List.of(bOnline), ids(available));
        assertEquals(1, available.getInt("total"));
    }

    @Test
    void namesAndPodKeysAreOnlyUniqueWithinAnOrganization() {
        Org a = organization();
        Org b = organization();
        long aRunner = fx.runner(a.write(), "builder-1", List.of(), 5);
        long bRunner = fx.runner(b.write(), "builder-1", List.of(), 5);

        Http.Reply aPod = fx.pod(a.write(), aRunner, "pod-1", "running");
        Http.Reply bPod = fx.pod(b.write(), bRunner, "pod-1", "completed");

        assertJson(aPod, 201);
        assertJson(bPod, 201);
        JsonObject aPods = read(RUNNERS + "/" + aRunner + "/pods", a.read());
        JsonObject bPods = read(RUNNERS + "/" + bRunner + "/pods", b.read());
        assertEquals(List.of("pod-1"), podKeys(aPods));
        assertEquals("running", aPods.getJsonArray("pods").getJsonObject(0).getString("status"));
        assertEquals(List.of("pod-1"), podKeys(bPods));
        assertEquals("completed", bPods.getJsonArray("pods").getJsonObject(0).getString("status"));
        assertEquals(1, read(RUNNERS + "/" + aRunner, a.read()).getJsonObject("runner").getInt("pod_count"));
        assertEquals(0, read(RUNNERS + "/" + bRunner, b.read()).getJsonObject("runner").getInt("pod_count"));
    }

    @Test
    void keysOfOneOrganizationAreNotListedOrRevocableThroughAnother() {
        Org a = organization();
        Org b = organization();
        JsonObject aKey = admin.key(a.slug(), "{\"name\":\"a\",\"scopes\":[\"runners:read\"]}");
        long aKeyId = aKey.getJsonObject("api_key").getJsonNumber("id").longValue();

        Http.Reply listed = admin.listKeys(b.slug(), "Authorization", Fixtures.ADMIN);
        Http.Reply revoke = admin.revokeKey(b.slug(), aKeyId, "Authorization", Fixtures.ADMIN);

        assertJson(listed, 200).getJsonArray("api_keys").getValuesAs(JsonObject.class)
                .forEach(k -> assertFalse(k.getJsonNumber("id").longValue() == aKeyId, listed::toString));
        assertProblem(revoke, 404, "NOT_FOUND");
        assertEquals(200, get(RUNNERS, aKey.getString("secret")).status());
    }

    // ---- helpers ----

    /** The answer for another organization's runner equals the answer for a runner that does not exist. */
    private void assertLikeMissing(long theirs, String method, String suffix, String key) {
        Http.Reply foreign = send(method, RUNNERS + "/" + theirs + suffix, key);
        Http.Reply missing = send(method, RUNNERS + "/" + NO_SUCH_RUNNER + suffix, key);
        JsonObject foreignProblem = assertProblem(foreign, 404, "NOT_FOUND");
        JsonObject missingProblem = assertProblem(missing, 404, "NOT_FOUND");
        assertEquals(missingProblem.getString("detail").replace(String.valueOf(NO_SUCH_RUNNER), "{id}"),
                foreignProblem.getString("detail").replace(String.valueOf(theirs), "{id}"),
                () -> foreign + " vs " + missing);
        assertEquals(missingProblem.keySet(), foreignProblem.keySet());
        assertEquals(missingProblem.getString("type"), foreignProblem.getString("type"));
        assertEquals(missingProblem.getString("title"), foreignProblem.getString("title"));
    }

    private Http.Reply send(String method, String path, String key) {
        return switch (method) {
            case "GET" -> http.get(path, bearer(key));
            case "POST" -> http.post(path, "{\"status\":\"online\"}", bearer(key));
            case "PUT" -> http.put(path, "{\"status\":\"completed\",\"agent_type_id\":\"claude-code\"}", bearer(key));
            case "DELETE" -> http.delete(path, bearer(key));
            default -> throw new IllegalArgumentException(method);
        };
    }

    private void assertOnly(String path, String key, List<Long> own, List<Long> foreign) {
        List<Long> seen = ids(read(path, key));
        assertTrue(own.containsAll(seen), () -> path + " shows " + seen + ", not only " + own);
        for (long id : foreign) {
            assertFalse(seen.contains(id), () -> path + " shows another organization's runner " + id);
        }
    }
}
