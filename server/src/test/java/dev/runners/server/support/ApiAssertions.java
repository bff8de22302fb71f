package dev.runners.server.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What a client of the contract checks in an answer: problem documents, exact field sets, timestamps. */
public final class ApiAssertions {
    public static final Set<String> RUNNER_FIELDS = Set.of("id", "name", "status", "version", "os", "arch", "labels",
            "pod_count", "max_pods", "schedulable", "last_heartbeat_at", "created_at");
    public static final Set<String> POD_FIELDS = Set.of("key", "status", "agent_type_id", "initial_prompt",
            "created_at");
    public static final Set<String> API_KEY_FIELDS = Set.of("id", "name", "prefix", "scopes", "created_at",
            "expires_at", "last_used_at", "revoked_at");
    public static final Set<String> ORGANIZATION_FIELDS = Set.of("id", "slug", "name", "created_at");

    private ApiAssertions() {
    }

    /** A 2xx JSON answer with the given status; returns its body. */
    public static JsonObject assertJson(Http.Reply reply, int status) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"),
                () -> "content type " + reply.contentType() + " of " + reply);
        return reply.json();
    }

    /**
     * An RFC 9457 problem with the given status and code: content type application/problem+json and
     * the members type, title, status, detail and code.
     */
    public static JsonObject assertProblem(Http.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/problem+json"),
                () -> "content type '" + reply.contentType() + "' of " + reply);
        JsonObject problem = reply.json();
        assertEquals(code, problem.getString("code", null), reply::toString);
        assertEquals(status, problem.getInt("status", -1), reply::toString);
        for (String member : List.of("type", "title", "detail")) {
            JsonValue value = problem.get(member);
            assertTrue(value != null && value.getValueType() == JsonValue.ValueType.STRING
                    && !problem.getString(member).isBlank(), () -> "problem member " + member + " in " + reply);
        }
        return problem;
    }

    /** A 401 problem with the given code and a {@code WWW-Authenticate: Bearer ...} challenge. */
    public static JsonObject assertUnauthorized(Http.Reply reply, String code) {
        JsonObject problem = assertProblem(reply, 401, code);
        String challenge = reply.header("WWW-Authenticate").orElse(null);
        assertNotNull(challenge, () -> "no WWW-Authenticate on " + reply);
        assertTrue(challenge.startsWith("Bearer"), () -> "WWW-Authenticate '" + challenge + "' on " + reply);
        return problem;
    }

    /** A 400 problem with the given code whose {@code errors} name {@code parameter} as a query or path parameter. */
    public static JsonObject assertParameterProblem(Http.Reply reply, String code, String parameter) {
        return assertNamed(reply, code, "parameter", parameter);
    }

    /** A 400 problem with the given code whose {@code errors} name {@code field} of the body. */
    public static JsonObject assertFieldProblem(Http.Reply reply, String code, String field) {
        return assertNamed(reply, code, "field", field);
    }

    private static JsonObject assertNamed(Http.Reply reply, String code, String kind, String name) {
        JsonObject problem = assertProblem(reply, 400, code);
        JsonArray errors = problem.getJsonArray("errors");
        assertNotNull(errors, () -> "no errors in " + reply);
        assertFalse(errors.isEmpty(), () -> "empty errors in " + reply);
        List<String> names = new ArrayList<>();
        for (JsonValue error : errors) {
            JsonObject e = error.asJsonObject();
            assertTrue(e.containsKey("message") && !e.getString("message").isBlank(),
                    () -> "error without message in " + reply);
            if (e.containsKey(kind)) {
                names.add(e.getString(kind));
            }
        }
        assertTrue(names.contains(name), () -> "errors do not name " + kind + " '" + name + "': " + reply);
        return problem;
    }

    /** Exactly these members, no more and no fewer. */
    public static void assertFields(Set<String> expected, JsonObject object) {
        assertEquals(expected, object.keySet(), () -> "members of " + object);
    }

    /** An RFC 3339 UTC timestamp with {@code Z}; returns it. */
    public static Instant assertTimestamp(JsonObject object, String member) {
        JsonValue value = object.get(member);
        if (value == null || value.getValueType() != JsonValue.ValueType.STRING) {
            fail(member + " is not a timestamp string in " + object);
        }
        String text = object.getString(member);
        assertTrue(text.endsWith("Z"), () -> member + " '" + text + "' does not end with Z");
        assertTrue(text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z"),
                () -> member + " '" + text + "' is not RFC 3339");
        return Instant.parse(text);
    }

    /** The member is present with the JSON value null. */
    public static void assertNullMember(JsonObject object, String member) {
        assertTrue(object.containsKey(member), () -> member + " missing from " + object);
        assertEquals(JsonValue.ValueType.NULL, object.get(member).getValueType(), () -> member + " in " + object);
    }

    /** A runner with exactly the fields of the contract and well-formed timestamps. */
    public static JsonObject assertRunner(JsonObject runner) {
        assertFields(RUNNER_FIELDS, runner);
        assertTimestamp(runner, "created_at");
        if (runner.get("last_heartbeat_at").getValueType() != JsonValue.ValueType.NULL) {
            assertTimestamp(runner, "last_heartbeat_at");
        }
        return runner;
    }

    /** A pod with exactly the fields of the contract and a well-formed timestamp. */
    public static JsonObject assertPod(JsonObject pod) {
        assertFields(POD_FIELDS, pod);
        assertTimestamp(pod, "created_at");
        return pod;
    }

    public static List<String> strings(JsonArray array) {
        return array.getValuesAs(v -> ((jakarta.json.JsonString) v).getString());
    }
}
