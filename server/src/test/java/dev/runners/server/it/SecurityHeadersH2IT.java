package dev.runners.server.it;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.runners.server.support.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code X-Content-Type-Options} on every response; {@code Cache-Control} on every API response.
 * Runs once, on the embedded database: the headers are added by the HTTP edge to every answer,
 * whatever the store behind it said.
 */
@OnEmbeddedDatabase
class SecurityHeadersH2IT extends ApiContract {

    @Test
    void everyKindOfResponseSaysNosniff() {
        Org org = organization();
        List<Http.Reply> answers = List.of(
                http.get("/health/live"),
                http.get("/health/ready"),
                http.get("/health/started"),
                http.call("PUT", "/health/live").send(),
                http.get("/openapi"),
                http.get("/openapi?format=JSON"),
                http.get("/openapi?format=XML"),
                http.call("PATCH", "/openapi").send(),
                http.get("/no-such-path"),
                http.get(RUNNERS),
                get(RUNNERS, org.read()),
                get(RUNNERS + "/1/nothing-here", org.read()));
        assertEquals(List.of(200, 200, 200, 405, 200, 200, 400, 405, 404, 401, 200, 404),
                answers.stream().map(Http.Reply::status).toList());
        assertAll(answers.stream().map(answer -> (Executable) () -> assertEquals(List.of("nosniff"),
                answer.response().headers().allValues("X-Content-Type-Options"), answer::toString)));
    }

    @Test
    void apiResponsesMayBeKeptOnlyByTheClientAndNeverTheNewSecret() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String[] write = bearer(org.write());
        String[] asAdmin = {"Authorization", Fixtures.ADMIN};
        List<Http.Reply> answers = List.of(
                get(RUNNERS, org.read()),
                get(RUNNERS + "/" + id + "/pods?limit=x", org.read()),
                get(RUNNERS + "/999999", org.read()),
                http.get(RUNNERS),
                http.post(RUNNERS, "{\"name\":\"r\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}", write),
                http.post(RUNNERS, "{}", bearer(org.read())),
                http.call("POST", RUNNERS).body("text/plain", HttpRequest.BodyPublishers.ofString("x"))
                        .headers(write).send(),
                http.delete(RUNNERS + "/" + id, write),
                http.get("/api/v1/no-such-path"),
                admin.createOrganization("{\"slug\":\"" + org.slug() + "-2\",\"name\":\"Two\"}", asAdmin),
                admin.listKeys(org.slug(), asAdmin),
                admin.createKey(org.slug(), "{\"name\":\"k\",\"scopes\":[]}", asAdmin));
        assertEquals(List.of(200, 400, 404, 401, 409, 403, 415, 204, 404, 201, 200, 400),
                answers.stream().map(Http.Reply::status).toList());
        List<Executable> checks = new ArrayList<>();
        for (Http.Reply answer : answers) {
            checks.add(() -> assertEquals(List.of("private, no-cache"),
                    answer.response().headers().allValues("Cache-Control"), answer::toString));
        }
        assertAll(checks);

        Http.Reply created = admin.createKey(org.slug(), "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}", asAdmin);
        assertEquals(201, created.status(), created::toString);
        assertEquals(List.of("no-store"), created.response().headers().allValues("Cache-Control"), created::toString);
    }
}
