package dev.runners.server.it;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.TestClock;
import io.helidon.microprofile.testing.junit5.AddBean;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the write-side contracts share: a connection to the server under test, tenants made
 * through the admin API, and readers/asserters of runners, pods and problems.
 */
// Helidon 4.1.2 reads @AddBean from the test class and its superclasses only, not from meta-annotations.
@AddBean(value = TestClock.class, scope = Singleton.class)
abstract class AgentContract {
    static final String RUNNERS = "/api/v1/runners";
    static final String WRITE = "runners:write";
    static final String READ = "runners:read";
    static final Set<String> RUNNER_FIELDS = Set.of("id", "name", "status", "version", "os", "arch", "labels",
            "pod_count", "max_pods", "schedulable", "last_heartbeat_at", "created_at");
    static final Set<String> POD_FIELDS = Set.of("key", "status", "agent_type_id", "initial_prompt", "created_at");
    static final List<String> ACTIVE = List.of("initializing", "running", "paused", "disconnected");
    static final List<String> TERMINAL = List.of("completed", "terminated", "error", "orphaned");

    @Inject
    WebTarget target;

    Fixtures fx;
    Http http;

    @BeforeEach
    void connect() {
        http = new Http(target.getUri());
        fx = new Fixtures(http);
    }

    /** A new organization and a write key of it. */
    record Tenant(String org, String key) {
        String[] auth() {
            return Fixtures.bearer(key);
        }
    }

    Tenant tenant() {
        String org = fx.organization();
        return new Tenant(org, fx.key(org, WRITE));
    }

    long runner(Tenant t, String name) {
        return fx.runner(t.key(), name, List.of(), 10);
    }

    long runner(Tenant t, String name, int maxPods) {
        return fx.runner(t.key(), name, List.of(), maxPods);
    }

    // ---- requests

    Http.Reply register(Tenant t, String json) {
        return http.post(RUNNERS, json, t.auth());
    }

    Http.Reply heartbeat(Tenant t, long id, String json) {
        return http.post(RUNNERS + "/" + id + "/heartbeat", json, t.auth());
    }

    Http.Reply putPod(Tenant t, long id, String podKey, String json) {
        return http.put(RUNNERS + "/" + id + "/pods/" + podKey, json, t.auth());
    }

    Http.Reply putPod(Tenant t, long id, String podKey, String status, String agentTypeId, String prompt) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("status", status).add("agent_type_id", agentTypeId);
        if (prompt != null) {
            body.add("initial_prompt", prompt);
        }
        return putPod(t, id, podKey, body.build().toString());
    }

    /** PUT of a pod that must succeed with {@code expectedStatus}; returns the pod. */
    JsonObject pod(Tenant t, long id, String podKey, String status, int expectedStatus) {
        Http.Reply reply = fx.pod(t.key(), id, podKey, status);
        assertEquals(expectedStatus, reply.status(), reply::toString);
        return reply.json().getJsonObject("pod");
    }

    Http.Reply send(String method, String path, String contentType, HttpRequest.BodyPublisher body, Tenant t) {
        return http.call(method, path).body(contentType, body).headers(t.auth()).send();
    }

    // ---- reads

    JsonObject getRunner(Tenant t, long id) {
        Http.Reply reply = http.get(RUNNERS + "/" + id, t.auth());
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getJsonObject("runner");
    }

    JsonObject runnerList(Tenant t, String query) {
        Http.Reply reply = http.get(RUNNERS + query, t.auth());
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    List<Long> ids(JsonObject list) {
        List<Long> ids = new ArrayList<>();
        for (JsonValue v : list.getJsonArray("runners")) {
            ids.add(v.asJsonObject().getJsonNumber("id").longValue());
        }
        return ids;
    }

    List<Long> availableIds(Tenant t) {
        return ids(runnerList(t, "/available"));
    }

    int runnerTotal(Tenant t) {
        return runnerList(t, "").getInt("total");
    }

    /** The whole pod page (at most 100 pods) of a runner. */
    JsonObject podPage(Tenant t, long id) {
        Http.Reply reply = http.get(RUNNERS + "/" + id + "/pods?limit=100", t.auth());
        assertEquals(200, reply.status(), reply::toString);
        JsonObject page = reply.json();
        assertTrue(page.getInt("total") <= 100, "helper reads one page only: " + page.getInt("total"));
        assertEquals(page.getInt("total"), page.getJsonArray("pods").size(), () -> "total vs items: " + page);
        return page;
    }

    List<JsonObject> pods(Tenant t, long id) {
        List<JsonObject> pods = new ArrayList<>();
        for (JsonValue v : podPage(t, id).getJsonArray("pods")) {
            pods.add(v.asJsonObject());
        }
        return pods;
    }

    JsonObject onlyPod(Tenant t, long id, String podKey) {
        List<JsonObject> found = pods(t, id).stream().filter(p -> p.getString("key").equals(podKey)).toList();
        assertEquals(1, found.size(), () -> "pod " + podKey + " of runner " + id + ": " + found);
        return found.get(0);
    }

    int podCount(Tenant t, long id) {
        return getRunner(t, id).getInt("pod_count");
    }

    // ---- assertions

    static void assertProblem(Http.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/problem+json"), () -> "content type of " + reply);
        JsonObject problem = reply.json();
        assertEquals(code, problem.getString("code"), reply::toString);
        assertEquals(status, problem.getInt("status"), reply::toString);
        assertNotNull(problem.getString("title", null), reply::toString);
        assertNotNull(problem.getString("type", null), reply::toString);
    }

    /** A problem whose errors name exactly {@code names} (as a set). */
    static void assertProblem(Http.Reply reply, int status, String code, Collection<String> names) {
        assertProblem(reply, status, code);
        assertEquals(new TreeSet<>(names), new TreeSet<>(reply.errorNames()), reply::toString);
    }

    static void assertFieldErrors(Http.Reply reply, String code, String... fields) {
        assertProblem(reply, 400, code, List.of(fields));
        for (JsonValue e : reply.json().getJsonArray("errors")) {
            JsonObject error = e.asJsonObject();
            assertTrue(error.containsKey("field") && !error.containsKey("parameter"), reply::toString);
            assertFalse(error.getString("message", "").isBlank(), reply::toString);
        }
    }

    static void assertTimestamp(String text) {
        assertTrue(text.endsWith("Z"), () -> "not UTC with Z: " + text);
        Instant.parse(text);
    }

    static JsonObject without(JsonObject o, String... names) {
        JsonObjectBuilder b = Json.createObjectBuilder(o);
        for (String n : names) {
            b.remove(n);
        }
        return b.build();
    }

    // ---- bodies

    static JsonObjectBuilder registration(String name) {
        return Json.createObjectBuilder().add("name", name).add("version", "1.2.0").add("os", "linux")
                .add("arch", "amd64");
    }

    static JsonArray array(Collection<String> values) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        values.forEach(b::add);
        return b.build();
    }

    static String object(Map<String, ?> fields) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        fields.forEach((k, v) -> b.add(k, toJson(v)));
        return b.build().toString();
    }

    static JsonValue toJson(Object v) {
        if (v == null) {
            return JsonValue.NULL;
        }
        if (v instanceof JsonValue j) {
            return j;
        }
        if (v instanceof String s) {
            return Json.createValue(s);
        }
        if (v instanceof Integer i) {
            return Json.createValue(i);
        }
        if (v instanceof Long l) {
            return Json.createValue(l);
        }
        if (v instanceof Double d) {
            return Json.createValue(d);
        }
        if (v instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (v instanceof Collection<?> c) {
            JsonArrayBuilder b = Json.createArrayBuilder();
            c.forEach(item -> b.add(toJson(item)));
            return b.build();
        }
        throw new IllegalArgumentException("no JSON for " + v.getClass());
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
