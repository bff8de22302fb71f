package dev.runners.server.support;

import java.time.Instant;

import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The operator's admin API, for tests that look at keys and organizations themselves. */
public final class Admin {
    private static final String ORGANIZATIONS = "/api/v1/admin/organizations";

    private final Http http;

    public Admin(Http http) {
        this.http = http;
    }

    public Http.Reply createOrganization(String json, String... headers) {
        return http.post(ORGANIZATIONS, json, headers);
    }

    public Http.Reply createKey(String slug, String json, String... headers) {
        return http.post(ORGANIZATIONS + "/" + slug + "/api-keys", json, headers);
    }

    public Http.Reply listKeys(String slug, String... headers) {
        return http.get(ORGANIZATIONS + "/" + slug + "/api-keys", headers);
    }

    public Http.Reply revokeKey(String slug, long id, String... headers) {
        return http.delete(ORGANIZATIONS + "/" + slug + "/api-keys/" + id, headers);
    }

    /** Creates a key with the admin token and returns the whole answer ({@code api_key} and {@code secret}). */
    public JsonObject key(String slug, String json) {
        Http.Reply reply = createKey(slug, json, "Authorization", Fixtures.ADMIN);
        assertEquals(201, reply.status(), reply::toString);
        return reply.json();
    }

    /** The listed key with this id, as the admin sees it. */
    public JsonObject listedKey(String slug, long id) {
        Http.Reply reply = listKeys(slug, "Authorization", Fixtures.ADMIN);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getJsonArray("api_keys").getValuesAs(JsonObject.class).stream()
                .filter(k -> k.getJsonNumber("id").longValue() == id)
                .findFirst()
                .orElseThrow(() -> new AssertionError("key " + id + " not listed: " + reply));
    }

    /** The server's current time (it follows the test clock), read from a new organization's created_at. */
    public Instant serverNow() {
        String slug = "clock-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Http.Reply reply = createOrganization("{\"slug\":\"" + slug + "\",\"name\":\"clock\"}",
                "Authorization", Fixtures.ADMIN);
        assertEquals(201, reply.status(), reply::toString);
        return Instant.parse(reply.json().getJsonObject("organization").getString("created_at"));
    }
}
