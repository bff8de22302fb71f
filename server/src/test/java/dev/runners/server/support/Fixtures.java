package dev.runners.server.support;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sets up organizations, keys, runners and pods through the public API, as a user would. */
public final class Fixtures {
    public static final String ADMIN = "Bearer " + TestDatabase.ADMIN_TOKEN;

    private final Http http;

    public Fixtures(Http http) {
        this.http = http;
    }

    public Http http() {
        return http;
    }

    /** A new organization with a unique slug. */
    public String organization() {
        String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
        var reply = http.post("/api/v1/admin/organizations",
                "{\"slug\":\"" + slug + "\",\"name\":\"Org " + slug + "\"}", "Authorization", ADMIN);
        assertEquals(201, reply.status(), reply::toString);
        return slug;
    }

    /** A new API key of {@code slug} with the given scopes; returns its secret. */
    public String key(String slug, String... scopes) {
        String list = List.of(scopes).stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(","));
        var reply = http.post("/api/v1/admin/organizations/" + slug + "/api-keys",
                "{\"name\":\"test key\",\"scopes\":[" + list + "]}", "Authorization", ADMIN);
        assertEquals(201, reply.status(), reply::toString);
        return reply.json().getString("secret");
    }

    public static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    /** Registers a runner and returns its id. */
    public long runner(String writeKey, String name, List<String> labels, int maxPods) {
        String labelList = labels.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(","));
        var reply = http.post("/api/v1/runners", "{\"name\":\"" + name + "\",\"version\":\"1.2.0\",\"os\":\"linux\","
                + "\"arch\":\"amd64\",\"labels\":[" + labelList + "],\"max_pods\":" + maxPods + "}", bearer(writeKey));
        assertEquals(201, reply.status(), reply::toString);
        return reply.json().getJsonObject("runner").getJsonNumber("id").longValue();
    }

    public JsonObject heartbeat(String writeKey, long runnerId, String status) {
        var reply = http.post("/api/v1/runners/" + runnerId + "/heartbeat", "{\"status\":\"" + status + "\"}",
                bearer(writeKey));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getJsonObject("runner");
    }

    public Http.Reply pod(String writeKey, long runnerId, String key, String status) {
        return http.put("/api/v1/runners/" + runnerId + "/pods/" + key,
                "{\"status\":\"" + status + "\",\"agent_type_id\":\"claude-code\"}", bearer(writeKey));
    }
}
