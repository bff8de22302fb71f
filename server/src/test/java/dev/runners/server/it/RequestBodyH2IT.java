package dev.runners.server.it;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * SPEC "Conventions", request bodies: media type, size, well-formedness, unknown and invalid
 * fields, on the three write operations; every refusal is read back to show nothing changed.
 * Runs once, on the embedded database: bodies are read and checked before any statement runs.
 * What a database stores at the edges of the field rules (its column widths) differs between the
 * two schemas, so that part lives in {@link TextContract}, which runs on both.
 */
@OnEmbeddedDatabase
class RequestBodyH2IT extends ApiContract {
    private static final int MIB = 1024 * 1024;
    private static final String VALID_POD = "{\"status\":\"running\",\"agent_type_id\":\"claude-code\"}";

    /** A tenant with one runner (online, one pod) whose state every refused write must leave as it is. */
    private final class Scene {
        final Org t = organization();
        final long id = fx.runner(t.write(), "scene", List.of("gpu"), 4);
        final JsonObject runner;
        final List<JsonObject> pods;

        Scene() {
            fx.heartbeat(t.write(), id, "online");
            pod(t, id, "existing", "running", 201);
            runner = getRunner(t, id);
            pods = pods(t, id);
        }

        String heartbeatPath() {
            return RUNNERS + "/" + id + "/heartbeat";
        }

        String podPath(String key) {
            return RUNNERS + "/" + id + "/pods/" + key;
        }

        void assertUnchanged(String after) {
            assertEquals(runner, getRunner(t, id), "runner after " + after);
            assertEquals(pods, pods(t, id), "pods after " + after);
            assertEquals(1, runnerTotal(t), "runners after " + after);
        }
    }

    private static HttpRequest.BodyPublisher text(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    /** Sends the same body to the three write operations; each must be refused with {@code code}. */
    private void refusedEverywhere(Scene s, String contentType, Function<String, HttpRequest.BodyPublisher> body,
                                   String registration, String heartbeat, String pod, int status, String code) {
        Http.Reply r1 = send("POST", RUNNERS, contentType, body.apply(registration), s.t);
        assertProblem(r1, status, code);
        Http.Reply r2 = send("POST", s.heartbeatPath(), contentType, body.apply(heartbeat), s.t);
        assertProblem(r2, status, code);
        Http.Reply r3 = send("PUT", s.podPath("new-pod"), contentType, body.apply(pod), s.t);
        assertProblem(r3, status, code);
        s.assertUnchanged(code + " (" + contentType + ")");
    }

    // ---- 415

    @Test
    void aBodyThatIsNotJsonIs415() {
        Scene s = new Scene();
        String registration = registration("new-runner").build().toString();
        String heartbeat = "{\"status\":\"offline\",\"max_pods\":1}";
        for (String type : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                "application/xml")) {
            refusedEverywhere(s, type, RequestBodyH2IT::text, registration, heartbeat, VALID_POD, 415,
                    "UNSUPPORTED_MEDIA_TYPE");
        }
        // no Content-Type at all is not JSON either
        refusedEverywhere(s, null, RequestBodyH2IT::text, registration, heartbeat, VALID_POD, 415,
                "UNSUPPORTED_MEDIA_TYPE");

        // JSON with a charset parameter is JSON
        Http.Reply ok = send("POST", RUNNERS, "application/json; charset=UTF-8", text(registration), s.t);
        assertEquals(201, ok.status(), ok::toString);
    }

    // ---- 413

    /** A valid registration padded with whitespace to exactly {@code size} bytes. */
    private static byte[] paddedRegistration(String name, int size) {
        String head = "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"os\":\"linux\",\"arch\":\"amd64\"";
        String tail = "}";
        int padding = size - head.length() - tail.length();
        byte[] bytes = (head + " ".repeat(padding) + tail).getBytes(StandardCharsets.US_ASCII);
        assertEquals(size, bytes.length);
        return bytes;
    }

    private static byte[] padded(String json, int size) {
        String body = json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}";
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        assertEquals(size, bytes.length);
        return bytes;
    }

    private static HttpRequest.BodyPublisher sized(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    private static HttpRequest.BodyPublisher chunked(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    @Test
    void aBodyOverOneMebibyteIs413WithContentLength() {
        assertOverOneMebibyteRefused(RequestBodyH2IT::sized, "");
    }

    @Test
    void aBodyOverOneMebibyteIs413WhenSentChunked() {
        assertOverOneMebibyteRefused(RequestBodyH2IT::chunked, "chunked ");
    }

    /** 2 MiB bodies on the three writes, and one of 1 MiB + 1 byte, each sent by {@code publisher}: 413, nothing written. */
    private void assertOverOneMebibyteRefused(Function<byte[], HttpRequest.BodyPublisher> publisher,
                                              String how) {
        Scene s = new Scene();
        Http.Reply reply = send("POST", RUNNERS, "application/json", publisher.apply(paddedRegistration("huge", 2 * MIB)), s.t);
        assertProblem(reply, 413, "PAYLOAD_TOO_LARGE");
        Http.Reply beat = send("POST", s.heartbeatPath(), "application/json",
                publisher.apply(padded("{\"status\":\"offline\"}", 2 * MIB)), s.t);
        assertProblem(beat, 413, "PAYLOAD_TOO_LARGE");
        Http.Reply pod = send("PUT", s.podPath("huge"), "application/json", publisher.apply(padded(VALID_POD, 2 * MIB)), s.t);
        assertProblem(pod, 413, "PAYLOAD_TOO_LARGE");
        s.assertUnchanged(how + "2 MiB bodies");

        // one byte over the limit
        assertProblem(send("POST", RUNNERS, "application/json", publisher.apply(paddedRegistration("over", MIB + 1)), s.t),
                413, "PAYLOAD_TOO_LARGE");
        s.assertUnchanged(how + "1 MiB + 1 byte");
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsAccepted() {
        Org t = organization();
        Http.Reply sized = send("POST", RUNNERS, "application/json", sized(paddedRegistration("exact", MIB)), t);
        assertEquals(201, sized.status(), sized::toString);
        Http.Reply chunked = send("POST", RUNNERS, "application/json",
                chunked(paddedRegistration("exact-chunked", MIB)), t);
        assertEquals(201, chunked.status(), chunked::toString);
        assertEquals(2, runnerTotal(t));
    }

    // ---- 400 MALFORMED_JSON

    @Test
    void aBodyThatIsNotOneJsonObjectIs400Malformed() {
        Scene s = new Scene();
        Map<String, String[]> cases = new LinkedHashMap<>();
        // name -> {registration, heartbeat, pod}
        cases.put("truncated", new String[] {"{\"name\":\"x\",", "{\"status\":", "{\"status\":\"running\""});
        cases.put("empty", new String[] {"", "", ""});
        cases.put("whitespace only", new String[] {"  \n ", " ", "\t"});
        cases.put("not JSON", new String[] {"name=x", "online", "<pod/>"});
        cases.put("single quotes", new String[] {"{'name':'x'}", "{'status':'online'}", "{'status':'running'}"});
        cases.put("array", new String[] {"[]", "[{\"status\":\"online\"}]",
                "[" + VALID_POD + "]"});
        cases.put("string", new String[] {"\"runner\"", "\"online\"", "\"running\""});
        cases.put("null", new String[] {"null", "null", "null"});
        cases.put("number", new String[] {"42", "1", "0"});
        cases.put("duplicate keys", new String[] {
                "{\"name\":\"dup-1\",\"name\":\"dup-2\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}",
                "{\"status\":\"online\",\"status\":\"offline\"}",
                "{\"status\":\"running\",\"status\":\"completed\",\"agent_type_id\":\"claude-code\"}"});
        cases.put("duplicate keys, same value", new String[] {
                "{\"name\":\"dup\",\"name\":\"dup\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}",
                "{\"status\":\"offline\",\"status\":\"offline\"}",
                "{\"status\":\"running\",\"agent_type_id\":\"a\",\"agent_type_id\":\"a\"}"});
        cases.put("trailing comma", new String[] {
                "{\"name\":\"tc\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\",}",
                "{\"status\":\"offline\",}", "{\"status\":\"running\",\"agent_type_id\":\"a\",}"});
        List<Executable> checks = new ArrayList<>();
        for (var c : cases.entrySet()) {
            String[] b = c.getValue();
            checks.add(() -> {
                Http.Reply r1 = send("POST", RUNNERS, "application/json", text(b[0]), s.t);
                assertProblem(r1, 400, "MALFORMED_JSON");
                Http.Reply r2 = send("POST", s.heartbeatPath(), "application/json", text(b[1]), s.t);
                assertProblem(r2, 400, "MALFORMED_JSON");
                Http.Reply r3 = send("PUT", s.podPath("existing"), "application/json", text(b[2]), s.t);
                assertProblem(r3, 400, "MALFORMED_JSON");
                s.assertUnchanged(c.getKey());
            });
        }
        assertAll("malformed bodies", checks);
    }

    @Test
    void contentAfterTheJsonObjectIs400Malformed() {
        Scene s = new Scene();
        List<String> trailers = List.of("{}", " x", "]", ",", " null", "}", " {\"name\":\"second\"}");
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < trailers.size(); i++) {
            String trailer = trailers.get(i);
            String registration = registration("trailing-" + i).build().toString();
            checks.add(() -> assertProblem(send("POST", RUNNERS, "application/json", text(registration + trailer),
                    s.t), 400, "MALFORMED_JSON"));
            checks.add(() -> assertProblem(send("POST", s.heartbeatPath(), "application/json",
                    text("{\"status\":\"offline\"}" + trailer), s.t), 400, "MALFORMED_JSON"));
            checks.add(() -> assertProblem(send("PUT", s.podPath("existing"), "application/json",
                    text("{\"status\":\"completed\",\"agent_type_id\":\"claude-code\"}" + trailer), s.t), 400,
                    "MALFORMED_JSON"));
        }
        checks.add(() -> s.assertUnchanged("bodies with trailing content"));
        assertAll("bodies with trailing content", checks);
    }

    @Test
    void aMalformedBodyIsDescribedByLineAndColumnNotByTheParser() {
        Scene s = new Scene();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("{\n  \"status\": \"online\",\n  bad\n}",
                "the request body is not well-formed JSON (line 3, column 3)");
        details.put("{\"status\" \"online\"}", "the request body is not well-formed JSON (line 1, column 18)");
        details.put("{\"status\":", "the request body ends before its JSON is complete (line 1, column 11)");
        details.put("{\n\"status\":\"onl", "the request body ends before its JSON is complete (line 2, column 14)");
        details.put("", "the request body is empty; send a JSON object");
        details.put("{\"status\":\"online\",\"status\":\"offline\"}",
                "the request body has the same key twice in one object (line 1, column 28)");
        details.put("{\"status\":\"offline\"} x", "the request body must hold one JSON object and nothing after it");
        details.put("[{\"status\":\"offline\"}]", "the request body must be a JSON object");
        List<Executable> checks = new ArrayList<>();
        for (var c : details.entrySet()) {
            checks.add(() -> {
                Http.Reply reply = send("POST", s.heartbeatPath(), "application/json", text(c.getKey()), s.t);
                assertProblem(reply, 400, "MALFORMED_JSON");
                JsonObject problem = reply.json();
                assertEquals(c.getValue(), problem.getString("detail"), reply::toString);
                assertFalse(problem.containsKey("errors"), reply::toString);
            });
        }
        for (String body : List.of("{\"status\":", "{'status':'online'}", "online", "{\"status\":tru}", "{\"a\":01}",
                "{\"status\":\"\\u00zz\"}", "{\"status\":\"online\",}", "{\"labels\":[1,]}", " ")) {
            checks.add(() -> {
                Http.Reply reply = send("POST", s.heartbeatPath(), "application/json", text(body), s.t);
                assertProblem(reply, 400, "MALFORMED_JSON");
                String detail = reply.json().getString("detail");
                assertFalse(detail.matches("(?is).*(token|curlyopen|expected|offset|unexpected char|exception|parsson"
                        + "|jakarta|line no).*"), () -> "parser text in the detail of " + reply);
            });
        }
        checks.add(() -> s.assertUnchanged("malformed bodies"));
        assertAll("MALFORMED_JSON details", checks);
    }

    // ---- 400 UNKNOWN_FIELD

    @Test
    void anUnknownFieldIs400NamingIt() {
        Scene s = new Scene();
        assertFieldErrors(register(s.t, registration("extra").add("color", "red").build().toString()),
                "UNKNOWN_FIELD", "color");
        assertFieldErrors(register(s.t, registration("extra").add("id", 5).add("status", "online")
                .build().toString()), "UNKNOWN_FIELD", "id", "status");
        assertFieldErrors(register(s.t, registration("extra").add("Name", "x").build().toString()),
                "UNKNOWN_FIELD", "Name");
        assertFieldErrors(heartbeat(s.t, s.id, "{\"status\":\"offline\",\"pod_count\":0}"), "UNKNOWN_FIELD",
                "pod_count");
        assertFieldErrors(heartbeat(s.t, s.id, "{\"status\":\"offline\",\"name\":\"renamed\"}"), "UNKNOWN_FIELD",
                "name");
        assertFieldErrors(putPod(s.t, s.id, "existing",
                "{\"status\":\"completed\",\"agent_type_id\":\"claude-code\",\"runner_id\":1}"), "UNKNOWN_FIELD",
                "runner_id");
        assertFieldErrors(putPod(s.t, s.id, "new-pod",
                "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"key\":\"new-pod\"}"), "UNKNOWN_FIELD",
                "key");
        s.assertUnchanged("unknown fields");
    }

    // ---- 400 INVALID_FIELD

    @Test
    void everyInvalidFieldIsListedAtOnce() {
        Scene s = new Scene();
        assertFieldErrors(register(s.t, object(Map.of("name", "-bad", "version", "", "os", "Linux",
                "arch", "x".repeat(33), "labels", List.of("GPU"), "max_pods", 0))), "INVALID_FIELD",
                "name", "version", "os", "arch", "labels", "max_pods");
        assertFieldErrors(register(s.t, "{}"), "INVALID_FIELD", "name", "version", "os", "arch");
        assertFieldErrors(heartbeat(s.t, s.id, object(Map.of("status", "busy", "version", "\t", "os", "",
                "arch", "ARM", "labels", "gpu", "max_pods", "3"))), "INVALID_FIELD",
                "status", "version", "os", "arch", "labels", "max_pods");
        assertFieldErrors(heartbeat(s.t, s.id, "{\"version\":\"2.0\"}"), "INVALID_FIELD", "status");
        assertFieldErrors(putPod(s.t, s.id, "existing", object(Map.of("status", "done", "agent_type_id", "Claude",
                "initial_prompt", 5))), "INVALID_FIELD", "status", "agent_type_id", "initial_prompt");
        assertFieldErrors(putPod(s.t, s.id, "new-pod", "{}"), "INVALID_FIELD", "status", "agent_type_id");
        s.assertUnchanged("several invalid fields");
    }

    /** Values that each break one rule of SPEC "Field rules", including wrong JSON types. */
    private static Map<String, List<Object>> badRunnerFields() {
        Map<String, List<Object>> bad = new LinkedHashMap<>();
        bad.put("name", List.of("", "x".repeat(101), "-runner", ".runner", "_runner", "has space", "a/b",
                "r\u00fcnner", "a:b", 12, true, List.of("a")));
        bad.put("version", List.of("", "v".repeat(65), "1.0\t", "1.0\n", "\u0007", 1, List.of()));
        bad.put("os", List.of("", "Linux", "x".repeat(33), "linux os", "li.nux", "l\u00ednux", 7));
        bad.put("arch", List.of("", "AMD64", "x".repeat(33), "x86/64", "arm.64", false));
        bad.put("labels", List.of("gpu", 1, true, List.of(1), List.of("gpu", 2), List.of(""), List.of("GPU"),
                List.of("-gpu"), List.of("gpu-"), List.of("g pu"), List.of("x".repeat(64)), List.of("g,pu"),
                IntStream.range(0, 33).mapToObj(i -> "l" + i).toList(), List.of(List.of("gpu"))));
        bad.put("max_pods", List.of(0, -1, 1001, "3", 3.5, 1e3 + 0.5, true, List.of(3), 10_000_000_000L));
        return bad;
    }

    @Test
    void eachRegistrationFieldRuleIsEnforced() {
        Org t = organization();
        List<Executable> checks = new ArrayList<>();
        for (var field : badRunnerFields().entrySet()) {
            for (Object value : field.getValue()) {
                checks.add(() -> {
                    Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "ok-runner", "version", "1.0",
                            "os", "linux", "arch", "amd64"));
                    body.put(field.getKey(), value);
                    assertFieldErrors(register(t, object(body)), "INVALID_FIELD", field.getKey());
                });
            }
        }
        // JSON null is not a value of a required field or of max_pods/labels
        for (String field : List.of("name", "version", "os", "arch", "labels", "max_pods")) {
            checks.add(() -> {
                Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "ok-runner", "version", "1.0",
                        "os", "linux", "arch", "amd64"));
                body.put(field, null);
                assertFieldErrors(register(t, object(body)), "INVALID_FIELD", field);
            });
        }
        assertAll("registration field rules", checks);
        JsonObject list = runnerList(t, "");
        assertEquals(0, list.getInt("total"), () -> "no refused registration may create a runner: " + list);
    }

    @Test
    void eachHeartbeatFieldRuleIsEnforced() {
        Scene s = new Scene();
        Map<String, List<Object>> bad = new LinkedHashMap<>(badRunnerFields());
        bad.remove("name");
        bad.put("status", List.of("busy", "ONLINE", "Online", "", " online", 1, true, List.of("online")));
        List<Executable> checks = new ArrayList<>();
        for (var field : bad.entrySet()) {
            for (Object value : field.getValue()) {
                checks.add(() -> {
                    Map<String, Object> body = new LinkedHashMap<>(Map.of("status", "offline"));
                    body.put(field.getKey(), value);
                    assertFieldErrors(heartbeat(s.t, s.id, object(body)), "INVALID_FIELD", field.getKey());
                });
            }
        }
        for (String field : List.of("status", "version", "os", "arch", "labels", "max_pods")) {
            checks.add(() -> {
                Map<String, Object> body = new LinkedHashMap<>(Map.of("status", "offline"));
                body.put(field, null);
                assertFieldErrors(heartbeat(s.t, s.id, object(body)), "INVALID_FIELD", field);
            });
        }
        assertAll("heartbeat field rules", checks);
        s.assertUnchanged("refused heartbeats");
    }

    @Test
    void eachPodFieldRuleIsEnforced() {
        Scene s = new Scene();
        Map<String, List<Object>> bad = new LinkedHashMap<>();
        bad.put("status", List.of("done", "RUNNING", "Running", "", "active", "online", 1, List.of("running")));
        bad.put("agent_type_id", List.of("", "Claude", "-claude", ".x", "_x", "claude code", "a".repeat(101),
                "cl\u00e4ude", 3, false, List.of("claude")));
        bad.put("initial_prompt", List.of(5, true, List.of("prompt"), Map.of()));
        List<Executable> checks = new ArrayList<>();
        for (var field : bad.entrySet()) {
            for (Object value : field.getValue()) {
                for (String key : List.of("existing", "new-pod")) {
                    checks.add(() -> {
                        Map<String, Object> body = new LinkedHashMap<>(Map.of("status", "completed",
                                "agent_type_id", "claude-code"));
                        body.put(field.getKey(), value instanceof Map<?, ?> ? jakarta.json.JsonValue.EMPTY_JSON_OBJECT
                                : value);
                        assertFieldErrors(putPod(s.t, s.id, key, object(body)), "INVALID_FIELD", field.getKey());
                    });
                }
            }
        }
        for (String field : List.of("status", "agent_type_id")) {
            checks.add(() -> {
                Map<String, Object> body = new LinkedHashMap<>(Map.of("status", "completed",
                        "agent_type_id", "claude-code"));
                body.put(field, null);
                assertFieldErrors(putPod(s.t, s.id, "new-pod", object(body)), "INVALID_FIELD", field);
            });
        }
        assertAll("pod field rules", checks);
        s.assertUnchanged("refused pod reports");
    }
}
