package dev.runners.server.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.runners.server.support.ContractValidator;
import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static dev.runners.server.support.ApiAssertions.assertFields;
import static dev.runners.server.support.ApiAssertions.assertNullMember;
import static dev.runners.server.support.ApiAssertions.assertParameterProblem;
import static dev.runners.server.support.ApiAssertions.assertPod;
import static dev.runners.server.support.ApiAssertions.assertRunner;
import static dev.runners.server.support.ApiAssertions.assertTimestamp;
import static dev.runners.server.support.ApiAssertions.strings;
import static dev.runners.server.support.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four read endpoints (SPEC 1-4): contents, filters, ordering, paging, and every refusal. */
abstract class ReadApiContract extends ApiContract {
    private static final Set<String> RUNNER_LIST = Set.of("runners", "total", "limit", "offset");
    private static final Set<String> POD_PAGE = Set.of("pods", "total", "limit", "offset");
    private static final String AVAILABLE = RUNNERS + "/available";

    // ---- GET /runners and GET /runners/{id}: contents ----

    @Test
    void listsEveryRunnerOfTheOrganizationByIdWithExactlyTheContractFields() {
        Org org = organization();
        long c = fx.runner(org.write(), "c-runner", List.of("zeta", "alpha", "alpha"), 3);
        long a = fx.runner(org.write(), "a-runner", List.of(), 10);
        long b = fx.runner(org.write(), "b-runner", List.of("gpu"), 1000);

        JsonObject list = read(RUNNERS, org.read());

        assertFields(RUNNER_LIST, list);
        assertEquals(3, list.getJsonNumber("total").longValue());
        assertTrue(c < a && a < b, "ids are assigned in registration order");
        assertEquals(List.of(c, a, b), ids(list), "by id ascending, not by name");
        List<JsonObject> runners = list.getJsonArray("runners").getValuesAs(JsonObject.class);
        runners.forEach(r -> {
            assertRunner(r);
            assertEquals("offline", r.getString("status"), "offline before the first heartbeat");
            assertNullMember(r, "last_heartbeat_at");
            assertEquals("1.2.0", r.getString("version"));
            assertEquals("linux", r.getString("os"));
            assertEquals("amd64", r.getString("arch"));
            assertEquals(0, r.getInt("pod_count"));
        });
        assertEquals("c-runner", runners.get(0).getString("name"));
        assertEquals(List.of("alpha", "zeta"), strings(runners.get(0).getJsonArray("labels")), "sorted, no duplicates");
        assertEquals(3, runners.get(0).getInt("max_pods"));
        assertEquals(List.of(), strings(runners.get(1).getJsonArray("labels")));
        assertEquals(1000, runners.get(2).getInt("max_pods"));
    }

    @Test
    void emptyOrganizationHasEmptyLists() {
        Org org = organization();

        JsonObject all = read(RUNNERS, org.read());
        JsonObject available = read(AVAILABLE, org.read());

        assertFields(RUNNER_LIST, all);
        assertEquals(List.of(), ids(all));
        assertEquals(0, all.getInt("total"));
        assertFields(RUNNER_LIST, available);
        assertEquals(List.of(), ids(available));
        assertEquals(0, available.getInt("total"));
    }

    @Test
    void getsOneRunnerInAnEnvelopeIdenticalToItsListEntry() {
        Org org = organization();
        long id = fx.runner(org.write(), "builder-1", List.of("gpu", "high-memory"), 4);

        JsonObject body = read(RUNNERS + "/" + id, org.read());

        assertFields(Set.of("runner"), body);
        JsonObject runner = assertRunner(body.getJsonObject("runner"));
        assertEquals(id, runner.getJsonNumber("id").longValue());
        assertEquals("builder-1", runner.getString("name"));
        assertEquals(List.of("gpu", "high-memory"), strings(runner.getJsonArray("labels")));
        assertEquals(4, runner.getInt("max_pods"));
        assertEquals("offline", runner.getString("status"));
        assertNullMember(runner, "last_heartbeat_at");
        assertEquals(read(RUNNERS, org.read()).getJsonArray("runners").getJsonObject(0), runner);

        fx.heartbeat(org.write(), id, "online");
        JsonObject after = assertRunner(read(RUNNERS + "/" + id, org.read()).getJsonObject("runner"));

        assertEquals("online", after.getString("status"));
        Instant heartbeat = assertTimestamp(after, "last_heartbeat_at");
        assertFalse(heartbeat.isBefore(assertTimestamp(after, "created_at")), after::toString);
        assertEquals(runner.getString("created_at"), after.getString("created_at"));
    }

    // ---- status ----

    @Test
    void statusFollowsHeartbeatsAndActivePods() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 2);
        assertStatus(org, id, "offline", 0);

        fx.heartbeat(org.write(), id, "online");
        assertStatus(org, id, "online", 0);

        pod(org.write(), id, "p1", "running");
        assertStatus(org, id, "online", 1);
        pod(org.write(), id, "p2", "initializing");
        assertStatus(org, id, "busy", 2);
        pod(org.write(), id, "p1", "completed");
        assertStatus(org, id, "online", 1);
        pod(org.write(), id, "p3", "paused");
        assertStatus(org, id, "busy", 2);
        pod(org.write(), id, "p4", "disconnected");
        assertStatus(org, id, "busy", 3);
        pod(org.write(), id, "p2", "error");
        pod(org.write(), id, "p3", "terminated");
        pod(org.write(), id, "p4", "orphaned");
        assertStatus(org, id, "online", 0);

        fx.heartbeat(org.write(), id, "offline");
        assertStatus(org, id, "offline", 0);
    }

    @Test
    void heartbeatOlderThanTheTimeoutMakesARunnerOffline() {
        Org org = organization();
        long online = onlineRunner(org.write(), "online", List.of(), 5);
        long busy = onlineRunner(org.write(), "busy", List.of(), 1);
        pod(org.write(), busy, "p1", "running");

        clock.advance(Duration.ofSeconds(89));
        assertStatus(org, online, "online", 0);
        assertStatus(org, busy, "busy", 1);
        assertEquals(List.of(online), ids(read(AVAILABLE, org.read())));

        clock.advance(Duration.ofSeconds(2));
        assertStatus(org, online, "offline", 0);
        assertStatus(org, busy, "offline", 1);
        assertEquals(List.of(online, busy), ids(read(RUNNERS + "?status=offline", org.read())));
        JsonObject notOffline = read(RUNNERS + "?status=online&status=busy", org.read());
        assertEquals(List.of(), ids(notOffline));
        assertEquals(0, notOffline.getInt("total"));
        JsonObject available = read(AVAILABLE, org.read());
        assertEquals(List.of(), ids(available));
        assertEquals(0, available.getInt("total"));

        fx.heartbeat(org.write(), online, "online");
        assertStatus(org, online, "online", 0);
        assertEquals(List.of(online), ids(read(AVAILABLE, org.read())));
    }

    // ---- GET /runners: filters and paging ----

    @Test
    void statusFilterKeepsRunnersWithAnyOfTheGivenStatuses() {
        Org org = organization();
        long online = onlineRunner(org.write(), "online", List.of(), 5);
        long busy = onlineRunner(org.write(), "busy", List.of(), 1);
        pod(org.write(), busy, "p1", "running");
        long never = fx.runner(org.write(), "never", List.of(), 5);
        long reportedOffline = fx.runner(org.write(), "reported-offline", List.of(), 5);
        fx.heartbeat(org.write(), reportedOffline, "offline");

        assertRunners(org, "?status=online", List.of(online), 1);
        assertRunners(org, "?status=busy", List.of(busy), 1);
        assertRunners(org, "?status=offline", List.of(never, reportedOffline), 2);
        assertRunners(org, "?status=online&status=busy", List.of(online, busy), 2);
        assertRunners(org, "?status=busy&status=offline", List.of(busy, never, reportedOffline), 3);
        assertRunners(org, "?status=online&status=busy&status=offline", List.of(online, busy, never, reportedOffline), 4);
        assertRunners(org, "?status=online&status=online", List.of(online), 1);
        assertRunners(org, "", List.of(online, busy, never, reportedOffline), 4);
        read(RUNNERS + "?status=busy", org.read()).getJsonArray("runners").getValuesAs(JsonObject.class)
                .forEach(r -> assertEquals("busy", assertRunner(r).getString("status")));
    }

    @Test
    void labelFilterKeepsRunnersCarryingEveryGivenLabel() {
        Org org = organization();
        long gpu = fx.runner(org.write(), "gpu", List.of("gpu"), 5);
        long both = onlineRunner(org.write(), "both", List.of("high-memory", "gpu"), 5);
        long memory = fx.runner(org.write(), "memory", List.of("high-memory"), 5);
        long none = fx.runner(org.write(), "none", List.of(), 5);

        assertRunners(org, "?label=gpu", List.of(gpu, both), 2);
        assertRunners(org, "?label=high-memory", List.of(both, memory), 2);
        assertRunners(org, "?label=gpu&label=high-memory", List.of(both), 1);
        assertRunners(org, "?label=high-memory&label=gpu", List.of(both), 1);
        assertRunners(org, "?label=gpu&label=gpu", List.of(gpu, both), 2);
        assertRunners(org, "?label=arm64", List.of(), 0);
        assertRunners(org, "?label=gpu&label=arm64", List.of(), 0);
        assertRunners(org, "", List.of(gpu, both, memory, none), 4);
        assertRunners(org, "?status=online&label=gpu", List.of(both), 1);
        assertRunners(org, "?status=offline&label=gpu", List.of(gpu), 1);
        assertRunners(org, "?status=offline&label=high-memory&label=gpu", List.of(), 0);
    }

    @Test
    void labelFiltersFollowLabelsReplacedByAHeartbeat() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of("gpu"), 5);
        Http.Reply heartbeat = http.post(RUNNERS + "/" + id + "/heartbeat",
                "{\"status\":\"online\",\"labels\":[\"arm64\",\"high-memory\"]}", bearer(org.write()));
        assertEquals(200, heartbeat.status(), heartbeat::toString);

        assertRunners(org, "?label=gpu", List.of(), 0);
        assertRunners(org, "?label=arm64&label=high-memory", List.of(id), 1);
        assertEquals(List.of("arm64", "high-memory"),
                strings(read(RUNNERS + "/" + id, org.read()).getJsonObject("runner").getJsonArray("labels")));
        assertEquals(List.of(), ids(read(AVAILABLE + "?label=gpu", org.read())));
        assertEquals(List.of(id), ids(read(AVAILABLE + "?label=arm64", org.read())));
    }

    @Test
    void limitAndOffsetPageTheRunnersWhileTotalCountsEveryMatch() {
        Org org = organization();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(fx.runner(org.write(), "runner-" + i, List.of(), 5));
        }
        fx.heartbeat(org.write(), all.get(1), "online");
        fx.heartbeat(org.write(), all.get(3), "online");

        assertRunners(org, "", all, 5);
        assertRunners(org, "?limit=2", all.subList(0, 2), 5);
        assertRunners(org, "?limit=2&offset=2", all.subList(2, 4), 5);
        assertRunners(org, "?offset=2&limit=2", all.subList(2, 4), 5);
        assertRunners(org, "?limit=2&offset=4", all.subList(4, 5), 5);
        assertRunners(org, "?offset=3", all.subList(3, 5), 5);
        assertRunners(org, "?offset=5", List.of(), 5);
        assertRunners(org, "?offset=1000", List.of(), 5);
        assertRunners(org, "?offset=0", all, 5);
        assertRunners(org, "?limit=1", all.subList(0, 1), 5);
        assertRunners(org, "?limit=1000", all, 5);
        assertRunners(org, "?status=online&limit=1", List.of(all.get(1)), 2);
        assertRunners(org, "?status=online&limit=1&offset=1", List.of(all.get(3)), 2);
        assertRunners(org, "?status=offline&offset=1", List.of(all.get(2), all.get(4)), 3);
    }

    // ---- GET /runners/available ----

    @Test
    void availableListsOnlyOnlineRunnersMostFreeSlotsFirstThenById() {
        Org org = organization();
        long fiveFree = onlineRunner(org.write(), "five-free", List.of("gpu"), 5);
        long sevenFree = onlineRunner(org.write(), "seven-free", List.of("cpu"), 10);
        for (int i = 0; i < 3; i++) {
            pod(org.write(), sevenFree, "seven-" + i, "running");
        }
        long alsoFiveFree = onlineRunner(org.write(), "also-five-free", List.of("gpu", "high-memory"), 5);
        long threeFree = onlineRunner(org.write(), "three-free", List.of("gpu"), 4);
        pod(org.write(), threeFree, "three-active", "paused");
        pod(org.write(), threeFree, "three-done-1", "completed");
        pod(org.write(), threeFree, "three-done-2", "terminated");
        fx.runner(org.write(), "never-heartbeat", List.of("gpu"), 100);
        long reportedOffline = fx.runner(org.write(), "reported-offline", List.of("gpu"), 50);
        fx.heartbeat(org.write(), reportedOffline, "offline");
        long busy = onlineRunner(org.write(), "busy", List.of("gpu"), 1);
        pod(org.write(), busy, "busy-0", "running");

        JsonObject available = read(AVAILABLE, org.read());

        assertFields(RUNNER_LIST, available);
        assertEquals(List.of(sevenFree, fiveFree, alsoFiveFree, threeFree), ids(available));
        assertEquals(4, available.getInt("total"));
        available.getJsonArray("runners").getValuesAs(JsonObject.class)
                .forEach(r -> assertEquals("online", assertRunner(r).getString("status")));
        assertEquals(3, available.getJsonArray("runners").getJsonObject(0).getInt("pod_count"));
        assertEquals(1, available.getJsonArray("runners").getJsonObject(3).getInt("pod_count"));

        assertAvailable(org, "?limit=2", List.of(sevenFree, fiveFree), 4);
        assertAvailable(org, "?limit=2&offset=1", List.of(fiveFree, alsoFiveFree), 4);
        assertAvailable(org, "?offset=3", List.of(threeFree), 4);
        assertAvailable(org, "?offset=4", List.of(), 4);
        assertAvailable(org, "?label=gpu", List.of(fiveFree, alsoFiveFree, threeFree), 3);
        assertAvailable(org, "?label=gpu&label=high-memory", List.of(alsoFiveFree), 1);
        assertAvailable(org, "?label=gpu&limit=1&offset=1", List.of(alsoFiveFree), 3);
        assertAvailable(org, "?label=arm64", List.of(), 0);
    }

    @Test
    void availabilityChangesWithPodsAndHeartbeats() {
        Org org = organization();
        long id = onlineRunner(org.write(), "r", List.of(), 2);
        assertAvailable(org, "", List.of(id), 1);

        pod(org.write(), id, "p1", "running");
        pod(org.write(), id, "p2", "running");
        assertAvailable(org, "", List.of(), 0);

        pod(org.write(), id, "p2", "completed");
        assertAvailable(org, "", List.of(id), 1);

        fx.heartbeat(org.write(), id, "offline");
        assertAvailable(org, "", List.of(), 0);

        fx.heartbeat(org.write(), id, "online");
        assertAvailable(org, "", List.of(id), 1);
    }

    // ---- GET /runners/{id}/pods ----

    @Test
    void listsPodsNewestFirstWithExactlyTheContractFields() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 10);
        long other = fx.runner(org.write(), "other", List.of(), 10);
        pod(org.write(), id, "pod-c", "running");
        Http.Reply withPrompt = http.put(RUNNERS + "/" + id + "/pods/pod-a",
                "{\"status\":\"initializing\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"Fix the login bug\"}",
                bearer(org.write()));
        assertEquals(201, withPrompt.status(), withPrompt::toString);
        pod(org.write(), other, "pod-elsewhere", "running");
        pod(org.write(), id, "pod-b", "completed");
        pod(org.write(), id, "pod-c", "paused");

        JsonObject page = read(RUNNERS + "/" + id + "/pods", org.read());

        assertFields(POD_PAGE, page);
        assertEquals(3, page.getInt("total"));
        assertEquals(50, page.getInt("limit"));
        assertEquals(0, page.getInt("offset"));
        assertEquals(List.of("pod-b", "pod-a", "pod-c"), podKeys(page), "newest created first; an update does not move a pod");
        List<JsonObject> pods = page.getJsonArray("pods").getValuesAs(JsonObject.class);
        pods.forEach(p -> {
            assertPod(p);
            assertEquals("claude-code", p.getString("agent_type_id"));
        });
        for (int i = 1; i < pods.size(); i++) {
            assertFalse(assertTimestamp(pods.get(i - 1), "created_at").isBefore(assertTimestamp(pods.get(i), "created_at")),
                    page::toString);
        }
        assertEquals("completed", pods.get(0).getString("status"));
        assertNullMember(pods.get(0), "initial_prompt");
        assertEquals("initializing", pods.get(1).getString("status"));
        assertEquals("Fix the login bug", pods.get(1).getString("initial_prompt"));
        assertEquals("paused", pods.get(2).getString("status"));
    }

    @Test
    void runnerWithoutPodsHasAnEmptyPage() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 10);

        JsonObject page = read(RUNNERS + "/" + id + "/pods", org.read());

        assertFields(POD_PAGE, page);
        assertEquals(List.of(), podKeys(page));
        assertEquals(0, page.getInt("total"));
        assertEquals(50, page.getInt("limit"));
        assertEquals(0, page.getInt("offset"));
    }

    @Test
    void podStatusFilterKeepsPodsWithAnyOfTheGivenStatuses() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 10);
        pod(org.write(), id, "running-1", "running");
        pod(org.write(), id, "completed-1", "completed");
        pod(org.write(), id, "paused-1", "paused");
        pod(org.write(), id, "error-1", "error");
        pod(org.write(), id, "running-2", "running");

        assertPods(org, id, "?status=running", List.of("running-2", "running-1"), 2);
        assertPods(org, id, "?status=running&status=error", List.of("running-2", "error-1", "running-1"), 3);
        assertPods(org, id, "?status=completed", List.of("completed-1"), 1);
        assertPods(org, id, "?status=orphaned", List.of(), 0);
        assertPods(org, id, "?status=running&limit=1", List.of("running-2"), 2);
        assertPods(org, id, "?status=running&limit=1&offset=1", List.of("running-1"), 2);
        for (String status : List.of("initializing", "running", "paused", "disconnected", "completed", "terminated",
                "error", "orphaned")) {
            read(RUNNERS + "/" + id + "/pods?status=" + status, org.read()).getJsonArray("pods")
                    .getValuesAs(JsonObject.class).forEach(p -> assertEquals(status, p.getString("status")));
        }
    }

    @Test
    void podLimitDefaultsTo50AndAllowsUpTo100() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 1000);
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            String key = String.format("p-%02d", i);
            pod(org.write(), id, key, i % 2 == 0 ? "running" : "completed");
            newestFirst.add(0, key);
        }

        JsonObject byDefault = read(RUNNERS + "/" + id + "/pods", org.read());
        assertEquals(newestFirst.subList(0, 50), podKeys(byDefault));
        assertEquals(55, byDefault.getInt("total"));
        assertEquals(50, byDefault.getInt("limit"));
        assertEquals(0, byDefault.getInt("offset"));

        JsonObject max = read(RUNNERS + "/" + id + "/pods?limit=100", org.read());
        assertEquals(newestFirst, podKeys(max));
        assertEquals(100, max.getInt("limit"));

        JsonObject secondPage = read(RUNNERS + "/" + id + "/pods?offset=50", org.read());
        assertEquals(newestFirst.subList(50, 55), podKeys(secondPage));
        assertEquals(55, secondPage.getInt("total"));
        assertEquals(50, secondPage.getInt("limit"));
        assertEquals(50, secondPage.getInt("offset"));

        assertPods(org, id, "?limit=10&offset=20", newestFirst.subList(20, 30), 55);
        assertPods(org, id, "?limit=1", newestFirst.subList(0, 1), 55);
        assertPods(org, id, "?offset=55", List.of(), 55);
        assertPods(org, id, "?status=running&limit=3", List.of("p-54", "p-52", "p-50"), 28);

        JsonObject echoed = read(RUNNERS + "/" + id + "/pods?limit=7&offset=3", org.read());
        assertEquals(7, echoed.getInt("limit"));
        assertEquals(3, echoed.getInt("offset"));
    }

    // ---- 404 ----

    @Test
    void unknownRunnerIsNotFound() {
        Org org = organization();
        long deleted = fx.runner(org.write(), "deleted", List.of(), 5);
        assertEquals(204, http.delete(RUNNERS + "/" + deleted, bearer(org.write())).status());

        for (String id : List.of(String.valueOf(deleted), "9223372036854775807")) {
            assertProblem(get(RUNNERS + "/" + id, org.read()), 404, "NOT_FOUND");
            assertProblem(get(RUNNERS + "/" + id + "/pods", org.read()), 404, "NOT_FOUND");
        }
    }

    @Test
    void unknownPathIsANotFoundProblem() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);

        assertAll(
                () -> assertProblem(get("/api/v1/nope", org.read()), 404, "NOT_FOUND"),
                () -> assertProblem(http.get("/api/v1/nope"), 404, "NOT_FOUND"),
                () -> assertProblem(http.get("/nope"), 404, "NOT_FOUND"),
                () -> assertProblem(get(RUNNERS + "/" + id + "/nope", org.read()), 404, "NOT_FOUND"),
                () -> assertProblem(get(RUNNERS + "/" + id + "/pods/p1/nope", org.read()), 404, "NOT_FOUND"));
    }

    @Test
    void wrongMethodIsAMethodNotAllowedProblem() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String[] key = bearer(org.write());

        Http.Reply patch = http.call("PATCH", RUNNERS + "/" + id + "/pods").json("{}").headers(key).send();
        assertAll(
                () -> assertProblem(patch, 405, "METHOD_NOT_ALLOWED"),
                () -> assertProblem(http.put(RUNNERS, "{}", key), 405, "METHOD_NOT_ALLOWED"),
                () -> assertProblem(http.post(RUNNERS + "/" + id, "{}", key), 405, "METHOD_NOT_ALLOWED"),
                () -> assertProblem(http.delete(RUNNERS + "/" + id + "/pods", key), 405, "METHOD_NOT_ALLOWED"),
                () -> assertProblem(http.get(RUNNERS + "/" + id + "/heartbeat", key), 405, "METHOD_NOT_ALLOWED"),
                () -> assertProblem(http.get(RUNNERS + "/" + id + "/pods/p1", key), 405, "METHOD_NOT_ALLOWED"));
        assertEquals("GET, HEAD, OPTIONS", patch.header("Allow").orElse(""), patch::toString);
        assertEquals(1, read(RUNNERS, org.read()).getInt("total"), "a refused method changes nothing");
    }

    @Test
    void aLiteralSegmentIsNotTakenForAnIdWhenTheMethodIsWrong() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String[] key = bearer(org.write());

        for (String method : List.of("DELETE", "POST", "PUT", "PATCH")) {
            Http.Reply withKey = http.call(method, AVAILABLE).headers(key).send();
            JsonObject problem = assertProblem(withKey, 405, "METHOD_NOT_ALLOWED");
            assertFalse(problem.containsKey("errors"), withKey::toString);
            assertEquals("GET, HEAD, OPTIONS", withKey.header("Allow").orElse(""), withKey::toString);
            assertProblem(http.call(method, AVAILABLE).send(), 405, "METHOD_NOT_ALLOWED");
        }
        assertProblem(http.call("DELETE", AVAILABLE + "/").headers(key).send(), 405, "METHOD_NOT_ALLOWED");
        assertProblem(http.delete(RUNNERS + "/avail", key), 400, "INVALID_PARAMETER");
        assertEquals(List.of(id), ids(read(RUNNERS, org.read())), "a refused method changes nothing");
    }

    /** Every path of the contract: OPTIONS lists its methods, and each other method is a 405 with that same Allow. */
    @Test
    void everyPathAnswersOptionsAndEvery405WithTheSameAllow() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        pod(org.write(), id, "p1", "running");
        long keyId = admin.key(org.slug(), "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}")
                .getJsonObject("api_key").getJsonNumber("id").longValue();
        Map<String, Set<String>> documented = documentedMethods();
        assertTrue(documented.keySet().containsAll(List.of(RUNNERS, AVAILABLE, "/health/live", "/openapi")),
                documented::toString);
        List<String> methods = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
        List<Executable> checks = new ArrayList<>();
        for (var entry : documented.entrySet()) {
            String path = entry.getKey().replace("{id}", entry.getKey().contains("api-keys") ? "" + keyId : "" + id)
                    .replace("{key}", "p1").replace("{slug}", org.slug());
            String[] credentials = path.startsWith("/api/v1/admin") ? new String[] {"Authorization", Fixtures.ADMIN}
                    : bearer(org.write());
            Set<String> expected = new TreeSet<>(entry.getValue());
            if (expected.contains("GET")) {
                expected.add("HEAD");
            }
            expected.add("OPTIONS");
            checks.add(() -> {
                Http.Reply options = http.call("OPTIONS", path).headers(credentials).send();
                assertEquals(204, options.status(), options::toString);
                String allow = options.header("Allow").orElse("");
                assertEquals(expected, new TreeSet<>(List.of(allow.split(", "))), () -> "Allow of OPTIONS " + path);
                for (String method : methods) {
                    if (expected.contains(method)) {
                        continue;
                    }
                    Http.Reply refused = http.call(method, path).headers(credentials).send();
                    assertEquals(405, refused.status(), refused::toString);
                    if (!method.equals("HEAD")) {
                        assertProblem(refused, 405, "METHOD_NOT_ALLOWED");
                    }
                    assertEquals(allow, refused.header("Allow").orElse(""), () -> "Allow of " + refused);
                }
            });
        }
        assertAll("OPTIONS and 405 on every documented path", checks);
        assertEquals(List.of("p1"), podKeys(read(RUNNERS + "/" + id + "/pods", org.read())), "a refused method changes nothing");
    }

    // ---- 400 ----

    @Test
    void unknownQueryParameterIsRefusedByName() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String pods = RUNNERS + "/" + id + "/pods";

        assertAll(
                unknown(org, RUNNERS + "?foo=1", "foo"),
                unknown(org, RUNNERS + "?foo", "foo"),
                unknown(org, RUNNERS + "?Limit=1", "Limit"),
                unknown(org, RUNNERS + "?status=online&page=2", "page"),
                unknown(org, AVAILABLE + "?status=online", "status"),
                unknown(org, AVAILABLE + "?sort=id", "sort"),
                unknown(org, RUNNERS + "/" + id + "?limit=1", "limit"),
                unknown(org, RUNNERS + "/" + id + "?verbose=true", "verbose"),
                unknown(org, pods + "?label=gpu", "label"),
                unknown(org, pods + "?key=p1", "key"));

        Http.Reply two = get(RUNNERS + "?limit=1&foo=1&bar=2", org.read());
        assertParameterProblem(two, "UNKNOWN_PARAMETER", "foo");
        assertParameterProblem(two, "UNKNOWN_PARAMETER", "bar");
    }

    @Test
    void repeatedLimitOrOffsetIsInvalid() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        List<Executable> checks = new ArrayList<>();
        for (String path : List.of(RUNNERS, AVAILABLE, RUNNERS + "/" + id + "/pods")) {
            checks.add(invalid(org, path + "?limit=1&limit=1", "limit"));
            checks.add(invalid(org, path + "?limit=1&limit=2", "limit"));
            checks.add(invalid(org, path + "?offset=0&offset=0", "offset"));
            checks.add(invalid(org, path + "?offset=0&offset=1", "offset"));
        }
        assertAll(checks);
    }

    @Test
    void malformedOrOutOfRangeLimitAndOffsetAreInvalid() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        List<Executable> checks = new ArrayList<>();
        for (String path : List.of(RUNNERS, AVAILABLE)) {
            for (String limit : List.of("abc", "0", "1001", "-1", "1.5", "", "1e2", "2147483648")) {
                checks.add(invalid(org, path + "?limit=" + limit, "limit"));
            }
            for (String offset : List.of("-1", "1.5", "abc", "")) {
                checks.add(invalid(org, path + "?offset=" + offset, "offset"));
            }
        }
        String pods = RUNNERS + "/" + id + "/pods";
        for (String limit : List.of("abc", "0", "101", "1000", "-1", "1.5", "")) {
            checks.add(invalid(org, pods + "?limit=" + limit, "limit"));
        }
        for (String offset : List.of("-1", "1.5", "abc", "")) {
            checks.add(invalid(org, pods + "?offset=" + offset, "offset"));
        }
        assertAll(checks);

        assertEquals(200, get(RUNNERS + "?limit=1000&offset=0", org.read()).status());
        assertEquals(200, get(AVAILABLE + "?limit=1000&offset=0", org.read()).status());
        assertEquals(200, get(pods + "?limit=100&offset=0", org.read()).status());
    }

    @Test
    void malformedFiltersAreInvalid() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String pods = RUNNERS + "/" + id + "/pods";
        String longLabel = "a".repeat(64);

        assertAll(
                invalid(org, RUNNERS + "?status=bogus", "status"),
                invalid(org, RUNNERS + "?status=ONLINE", "status"),
                invalid(org, RUNNERS + "?status=", "status"),
                invalid(org, RUNNERS + "?status=online,busy", "status"),
                invalid(org, RUNNERS + "?status=online&status=bogus", "status"),
                invalid(org, RUNNERS + "?status=running", "status"),
                invalid(org, RUNNERS + "?label=UPPER", "label"),
                invalid(org, RUNNERS + "?label=", "label"),
                invalid(org, RUNNERS + "?label=-gpu", "label"),
                invalid(org, RUNNERS + "?label=gpu,arm64", "label"),
                invalid(org, RUNNERS + "?label=" + longLabel, "label"),
                invalid(org, RUNNERS + "?label=gpu&label=UPPER", "label"),
                invalid(org, AVAILABLE + "?label=UPPER", "label"),
                invalid(org, AVAILABLE + "?label=", "label"),
                invalid(org, pods + "?status=bogus", "status"),
                invalid(org, pods + "?status=online", "status"),
                invalid(org, pods + "?status=RUNNING", "status"),
                invalid(org, pods + "?status=", "status"));

        assertEquals(200, get(RUNNERS + "?label=" + "a".repeat(63), org.read()).status());
    }

    @Test
    void malformedRunnerIdIsInvalid() {
        Org org = organization();
        List<Executable> checks = new ArrayList<>();
        for (String id : List.of("abc", "0", "-1", "9223372036854775808", "1.5", "99999999999999999999")) {
            checks.add(invalid(org, RUNNERS + "/" + id, "id"));
            checks.add(invalid(org, RUNNERS + "/" + id + "/pods", "id"));
        }
        assertAll(checks);
    }

    // ---- helpers ----

    /** Each path of the published document with the methods it lists, upper case. */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> documentedMethods() {
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(ContractValidator.document());
        Map<String, Set<String>> methods = new TreeMap<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> methods.put(path,
                item.keySet().stream().filter(k -> !k.equals("parameters"))
                        .map(k -> k.toUpperCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new))));
        return methods;
    }

    private void assertStatus(Org org, long id, String status, int podCount) {
        JsonObject runner = assertRunner(read(RUNNERS + "/" + id, org.read()).getJsonObject("runner"));
        assertEquals(status, runner.getString("status"), runner::toString);
        assertEquals(podCount, runner.getInt("pod_count"), runner::toString);
    }

    private void assertRunners(Org org, String query, List<Long> expected, int total) {
        JsonObject list = read(RUNNERS + query, org.read());
        assertFields(RUNNER_LIST, list);
        assertEquals(expected, ids(list), () -> "GET " + RUNNERS + query + " -> " + list);
        assertEquals(total, list.getInt("total"), () -> "total of GET " + RUNNERS + query + " -> " + list);
    }

    private void assertAvailable(Org org, String query, List<Long> expected, int total) {
        JsonObject list = read(AVAILABLE + query, org.read());
        assertFields(RUNNER_LIST, list);
        assertEquals(expected, ids(list), () -> "GET " + AVAILABLE + query + " -> " + list);
        assertEquals(total, list.getInt("total"), () -> "total of GET " + AVAILABLE + query + " -> " + list);
    }

    private void assertPods(Org org, long id, String query, List<String> expected, int total) {
        String path = RUNNERS + "/" + id + "/pods" + query;
        JsonObject page = read(path, org.read());
        assertFields(POD_PAGE, page);
        assertEquals(expected, podKeys(page), () -> "GET " + path + " -> " + page);
        assertEquals(total, page.getInt("total"), () -> "total of GET " + path + " -> " + page);
    }

    private Executable unknown(Org org, String path, String parameter) {
        return () -> assertParameterProblem(get(path, org.read()), "UNKNOWN_PARAMETER", parameter);
    }

    private Executable invalid(Org org, String path, String parameter) {
        return () -> assertParameterProblem(get(path, org.read()), "INVALID_PARAMETER", parameter);
    }
}
