package dev.runners.server.it;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.runners.server.support.Admin;
import dev.runners.server.support.ApiAssertions;
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

import static dev.runners.server.support.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one base class of the HTTP contract suites: the server under test over HTTP, the fixtures,
 * the admin API and the test clock; organizations with their keys; requests, reads and assertions
 * of runners, pods and problems.
 * {@code @AddBean} stands here because Helidon 4.1.2 reads it from the test class and its
 * superclasses only, not from meta-annotations such as {@code @OnEmbeddedDatabase}.
 */
@AddBean(value = TestClock.class, scope = Singleton.class)
abstract class ApiContract {
    static final String RUNNERS = "/api/v1/runners";
    static final String WRITE = "runners:write";
    static final String READ = "runners:read";
    static final List<String> ACTIVE = List.of("initializing", "running", "paused", "disconnected");
    static final List<String> TERMINAL = List.of("completed", "terminated", "error", "orphaned");

    @Inject
    WebTarget target;

    /** The server's clock; shared by every test of the class, so tests build fresh runners after moving it. */
    @Inject
    TestClock clock;

    Fixtures fx;
    Http http;
    Admin admin;

    /** A new organization, made through the admin API, with a read-only and a write-only key. */
    record Org(String slug, String read, String write) {
        /** The headers that send the write key (which reads, too). */
        String[] auth() {
            return Fixtures.bearer(write);
        }
    }

    @BeforeEach
    void connect() {
        http = new Http(target.getUri());
        fx = new Fixtures(http);
        admin = new Admin(http);
    }

    Org organization() {
        return organization(fx);
    }

    /** A new organization through {@code fx}, for the tests that reach the service otherwise (several instances). */
    static Org organization(Fixtures fx) {
        String slug = fx.organization();
        return new Org(slug, fx.key(slug, READ), fx.key(slug, WRITE));
    }

    long runner(Org t, String name) {
        return fx.runner(t.write(), name, List.of(), 10);
    }

    long runner(Org t, String name, int maxPods) {
        return fx.runner(t.write(), name, List.of(), maxPods);
    }

    Http.Reply get(String path, String key) {
        return http.get(path, Fixtures.bearer(key));
    }

    /** A 200 JSON answer to a GET with {@code key}. */
    JsonObject read(String path, String key) {
        return assertJson(get(path, key), 200);
    }

    /** A registered runner that has sent an online heartbeat. */
    long onlineRunner(String writeKey, String name, List<String> labels, int maxPods) {
        long id = fx.runner(writeKey, name, labels, maxPods);
        fx.heartbeat(writeKey, id, "online");
        return id;
    }

    /** Reports a pod and checks it was accepted. */
    void pod(String writeKey, long runnerId, String key, String status) {
        Http.Reply reply = fx.pod(writeKey, runnerId, key, status);
        assertTrue(reply.status() == 201 || reply.status() == 200, reply::toString);
    }

    static List<Long> ids(JsonObject list) {
        return list.getJsonArray("runners").getValuesAs(JsonObject.class).stream()
                .map(r -> r.getJsonNumber("id").longValue())
                .toList();
    }

    static List<String> podKeys(JsonObject page) {
        return page.getJsonArray("pods").getValuesAs(JsonObject.class).stream()
                .map(p -> p.getString("key"))
                .toList();
    }

    // ---- requests

    Http.Reply register(Org t, String json) {
        return http.post(RUNNERS, json, t.auth());
    }

    Http.Reply heartbeat(Org t, long id, String json) {
        return http.post(RUNNERS + "/" + id + "/heartbeat", json, t.auth());
    }

    Http.Reply putPod(Org t, long id, String podKey, String json) {
        return http.put(RUNNERS + "/" + id + "/pods/" + podKey, json, t.auth());
    }

    Http.Reply putPod(Org t, long id, String podKey, String status, String agentTypeId, String prompt) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("status", status).add("agent_type_id", agentTypeId);
        if (prompt != null) {
            body.add("initial_prompt", prompt);
        }
        return putPod(t, id, podKey, body.build().toString());
    }

    /** PUT of a pod that must succeed with {@code expectedStatus}; returns the pod. */
    JsonObject pod(Org t, long id, String podKey, String status, int expectedStatus) {
        Http.Reply reply = fx.pod(t.write(), id, podKey, status);
        assertEquals(expectedStatus, reply.status(), reply::toString);
        return reply.json().getJsonObject("pod");
    }

    Http.Reply send(String method, String path, String contentType, HttpRequest.BodyPublisher body, Org t) {
        return http.call(method, path).body(contentType, body).headers(t.auth()).send();
    }

    // ---- reads

    JsonObject getRunner(Org t, long id) {
        Http.Reply reply = http.get(RUNNERS + "/" + id, t.auth());
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getJsonObject("runner");
    }

    JsonObject runnerList(Org t, String query) {
        Http.Reply reply = http.get(RUNNERS + query, t.auth());
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    List<Long> availableIds(Org t) {
        return ids(runnerList(t, "/available"));
    }

    int runnerTotal(Org t) {
        return runnerList(t, "").getInt("total");
    }

    /** The whole pod page (at most 100 pods) of a runner. */
    JsonObject podPage(Org t, long id) {
        Http.Reply reply = http.get(RUNNERS + "/" + id + "/pods?limit=100", t.auth());
        assertEquals(200, reply.status(), reply::toString);
        JsonObject page = reply.json();
        assertTrue(page.getInt("total") <= 100, "helper reads one page only: " + page.getInt("total"));
        assertEquals(page.getInt("total"), page.getJsonArray("pods").size(), () -> "total vs items: " + page);
        return page;
    }

    List<JsonObject> pods(Org t, long id) {
        List<JsonObject> pods = new ArrayList<>();
        for (JsonValue v : podPage(t, id).getJsonArray("pods")) {
            pods.add(v.asJsonObject());
        }
        return pods;
    }

    JsonObject onlyPod(Org t, long id, String podKey) {
        List<JsonObject> found = pods(t, id).stream().filter(p -> p.getString("key").equals(podKey)).toList();
        assertEquals(1, found.size(), () -> "pod " + podKey + " of runner " + id + ": " + found);
        return found.get(0);
    }

    int podCount(Org t, long id) {
        return getRunner(t, id).getInt("pod_count");
    }

    // ---- assertions

    /**
     * The problem of {@link ApiAssertions#assertProblem}; declared here because the overload below would
     * otherwise hide the statically imported one in every suite.
     */
    static JsonObject assertProblem(Http.Reply reply, int status, String code) {
        return ApiAssertions.assertProblem(reply, status, code);
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
