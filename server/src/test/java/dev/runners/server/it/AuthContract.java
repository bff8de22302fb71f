package dev.runners.server.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.runners.server.support.ApiAssertions.assertJson;
import static dev.runners.server.support.ApiAssertions.assertNullMember;
import static dev.runners.server.support.ApiAssertions.assertUnauthorized;
import static dev.runners.server.support.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Organization API keys: how they are sent, when they are refused, and what their scopes allow. */
abstract class AuthContract extends ApiContract {

    @Test
    void missingKeyIsAuthRequiredOnEveryEndpoint() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);

        assertAll(
                () -> assertUnauthorized(http.get(RUNNERS), "AUTH_REQUIRED"),
                () -> assertUnauthorized(http.get(RUNNERS + "/available"), "AUTH_REQUIRED"),
                () -> assertUnauthorized(http.get(RUNNERS + "/" + id), "AUTH_REQUIRED"),
                () -> assertUnauthorized(http.get(RUNNERS + "/" + id + "/pods"), "AUTH_REQUIRED"),
                () -> assertUnauthorized(http.post(RUNNERS, runnerBody("new")), "AUTH_REQUIRED"),
                () -> assertUnauthorized(http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}"),
                        "AUTH_REQUIRED"),
                () -> assertUnauthorized(http.put(RUNNERS + "/" + id + "/pods/p1", podBody()), "AUTH_REQUIRED"),
                () -> assertUnauthorized(http.delete(RUNNERS + "/" + id), "AUTH_REQUIRED"));

        JsonObject runner = read(RUNNERS + "/" + id, org.read()).getJsonObject("runner");
        assertNullMember(runner, "last_heartbeat_at");
        assertEquals(1, read(RUNNERS, org.read()).getInt("total"), "refused requests change nothing");
    }

    @Test
    void unknownKeyIsInvalidApiKey() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String wellFormedUnknown = "rk_" + "A".repeat(40);

        assertAll(
                invalidKey(RUNNERS, "Authorization", "Bearer nonsense"),
                invalidKey(RUNNERS, "Authorization", "Bearer " + wellFormedUnknown),
                invalidKey(RUNNERS + "/available", "Authorization", "Bearer " + wellFormedUnknown),
                invalidKey(RUNNERS + "/" + id, "Authorization", "Bearer " + wellFormedUnknown),
                invalidKey(RUNNERS + "/" + id + "/pods", "Authorization", "Bearer " + wellFormedUnknown),
                invalidKey(RUNNERS, "Authorization", "Bearer " + org.read() + "x"),
                invalidKey(RUNNERS, "X-API-Key", "nonsense"),
                invalidKey(RUNNERS, "X-API-Key", wellFormedUnknown));
        assertUnauthorized(http.post(RUNNERS, runnerBody("new"), "Authorization", "Bearer " + wellFormedUnknown),
                "INVALID_API_KEY");
    }

    @Test
    void adminTokenIsNotAnApiKey() {
        assertUnauthorized(http.get(RUNNERS, "Authorization", Fixtures.ADMIN), "INVALID_API_KEY");
        assertUnauthorized(http.get(RUNNERS, "X-API-Key", TestDatabase.ADMIN_TOKEN), "INVALID_API_KEY");
    }

    @Test
    void revokedKeyIsRefusedImmediately() {
        String slug = fx.organization();
        JsonObject created = admin.key(slug, "{\"name\":\"doomed\",\"scopes\":[\"runners:write\"]}");
        String secret = created.getString("secret");
        long keyId = created.getJsonObject("api_key").getJsonNumber("id").longValue();
        String other = fx.key(slug, "runners:read");
        long id = fx.runner(secret, "r", List.of(), 5);
        assertEquals(200, get(RUNNERS, secret).status());

        Http.Reply revoke = admin.revokeKey(slug, keyId, "Authorization", Fixtures.ADMIN);
        assertEquals(204, revoke.status(), revoke::toString);

        assertAll(
                () -> assertUnauthorized(get(RUNNERS, secret), "INVALID_API_KEY"),
                () -> assertUnauthorized(get(RUNNERS + "/" + id, secret), "INVALID_API_KEY"),
                () -> assertUnauthorized(http.get(RUNNERS, "X-API-Key", secret), "INVALID_API_KEY"),
                () -> assertUnauthorized(http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}",
                        bearer(secret)), "INVALID_API_KEY"));
        assertEquals(List.of(id), ids(read(RUNNERS, other)), "the organization's other keys still work");
    }

    @Test
    void expiredKeyIsApiKeyExpired() {
        String slug = fx.organization();
        Instant expiresAt = admin.serverNow().plusSeconds(30);
        String secret = admin.key(slug, "{\"name\":\"short-lived\",\"scopes\":[\"runners:write\"],\"expires_at\":\""
                + expiresAt + "\"}").getString("secret");
        String lasting = fx.key(slug, "runners:read");
        long id = fx.runner(secret, "r", List.of(), 5);
        assertEquals(200, get(RUNNERS + "/" + id, secret).status());

        clock.advance(Duration.ofSeconds(31));

        assertAll(
                () -> assertUnauthorized(get(RUNNERS, secret), "API_KEY_EXPIRED"),
                () -> assertUnauthorized(get(RUNNERS + "/" + id, secret), "API_KEY_EXPIRED"),
                () -> assertUnauthorized(http.get(RUNNERS, "X-API-Key", secret), "API_KEY_EXPIRED"),
                () -> assertUnauthorized(http.post(RUNNERS, runnerBody("after-expiry"), bearer(secret)),
                        "API_KEY_EXPIRED"));
        assertEquals(List.of(id), ids(read(RUNNERS, lasting)), "a key without expiry still works");
    }

    @Test
    void xApiKeyHeaderIsAcceptedInsteadOfAuthorization() {
        Org org = organization();
        Http.Reply created = http.post(RUNNERS, runnerBody("via-header"), "X-API-Key", org.write());
        long id = assertJson(created, 201).getJsonObject("runner").getJsonNumber("id").longValue();

        JsonObject list = assertJson(http.get(RUNNERS, "X-API-Key", org.read()), 200);
        assertEquals(List.of(id), ids(list));
        assertEquals(200, http.get(RUNNERS + "/" + id, "X-API-Key", org.read()).status());
        assertEquals(200, http.get(RUNNERS + "/" + id + "/pods", "X-API-Key", org.read()).status());
        assertEquals(200, http.get(RUNNERS + "/available", "X-API-Key", org.read()).status());
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        Org org = organization();

        assertEquals(200, http.get(RUNNERS, "Authorization", "bearer " + org.read()).status());
        assertEquals(200, http.get(RUNNERS, "Authorization", "BEARER " + org.read()).status());
    }

    @Test
    void readKeyCannotWrite() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String[] read = bearer(org.read());

        assertAll(
                () -> insufficientScope(http.post(RUNNERS, runnerBody("new"), read)),
                () -> insufficientScope(http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}", read)),
                () -> insufficientScope(http.put(RUNNERS + "/" + id + "/pods/p1", podBody(), read)),
                () -> insufficientScope(http.delete(RUNNERS + "/" + id, read)));

        JsonObject list = read(RUNNERS, org.read());
        assertEquals(List.of(id), ids(list), "nothing was registered or deleted");
        assertNullMember(list.getJsonArray("runners").getJsonObject(0), "last_heartbeat_at");
        assertEquals(0, read(RUNNERS + "/" + id + "/pods", org.read()).getInt("total"));
    }

    @Test
    void readKeyAndWriteKeyBothReadEveryReadEndpoint() {
        Org org = organization();
        long id = onlineRunner(org.write(), "r", List.of("gpu"), 5);
        pod(org.write(), id, "p1", "running");

        for (String key : List.of(org.read(), org.write())) {
            assertEquals(List.of(id), ids(read(RUNNERS, key)));
            assertEquals(List.of(id), ids(read(RUNNERS + "/available", key)));
            assertEquals(id, read(RUNNERS + "/" + id, key).getJsonObject("runner").getJsonNumber("id").longValue());
            assertEquals(List.of("p1"), podKeys(read(RUNNERS + "/" + id + "/pods", key)));
        }
    }

    @Test
    void keyWithBothScopesReadsAndWrites() {
        String slug = fx.organization();
        String both = fx.key(slug, "runners:read", "runners:write");

        long id = fx.runner(both, "r", List.of(), 5);

        assertEquals(List.of(id), ids(read(RUNNERS, both)));
    }

    private Executable invalidKey(String path, String header, String value) {
        return () -> assertUnauthorized(http.get(path, header, value), "INVALID_API_KEY");
    }

    private static void insufficientScope(Http.Reply reply) {
        JsonObject problem = assertProblem(reply, 403, "INSUFFICIENT_SCOPE");
        assertTrue(problem.getString("detail").contains("runners:write"), reply::toString);
    }

    private static String runnerBody(String name) {
        return "{\"name\":\"" + name + "\",\"version\":\"1.0\",\"os\":\"linux\",\"arch\":\"amd64\"}";
    }

    private static String podBody() {
        return "{\"status\":\"running\",\"agent_type_id\":\"claude-code\"}";
    }
}
