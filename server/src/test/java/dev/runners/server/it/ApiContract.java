package dev.runners.server.it;

import java.util.List;

import dev.runners.server.support.Admin;
import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.TestClock;
import io.helidon.microprofile.testing.junit5.AddBean;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;

import static dev.runners.server.support.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every contract test needs: the server over HTTP, the fixtures, the test clock.
 * {@code @AddBean} stands here because Helidon 4.1.2 reads it from the test class and its
 * superclasses only, not from meta-annotations such as {@code @OnEmbeddedDatabase}.
 */
@AddBean(TestClock.class)
abstract class ApiContract {
    static final String RUNNERS = "/api/v1/runners";

    @Inject
    WebTarget target;

    /** The server's clock; shared by every test of the class, so tests build fresh runners after moving it. */
    @Inject
    TestClock clock;

    Fixtures fx;
    Http http;
    Admin admin;

    /** An organization with a read-only and a write-only key. */
    record Org(String slug, String read, String write) {
    }

    @BeforeEach
    void connect() {
        http = new Http(target.getUri());
        fx = new Fixtures(http);
        admin = new Admin(http);
    }

    Org organization() {
        String slug = fx.organization();
        return new Org(slug, fx.key(slug, "runners:read"), fx.key(slug, "runners:write"));
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
}
