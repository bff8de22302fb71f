package dev.runners.server.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import dev.runners.server.support.ServerSettings;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.runners.server.support.ApiAssertions.assertJson;
import static dev.runners.server.support.ApiAssertions.assertUnauthorized;
import static dev.runners.server.support.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC's rate limits as shipped: 100 requests per second per key and kind (reads, writes), in
 * bursts of up to 200, and 20 failed authentications per address and minute. The server's clock
 * stands still, so a bucket refills only when a test moves the clock.
 * Runs once, on the embedded database: the buckets live in the service's memory, counted per key
 * before the request reaches the store.
 */
@ServerSettings(shippedRateLimits = true)
@OnEmbeddedDatabase
class RateLimitH2IT extends ApiContract {
    static final int BURST = 200;
    static final String UNKNOWN_KEY = "rk_" + "A".repeat(40);

    @BeforeEach
    void stopTheClock() {
        clock.stop();
        // every bucket full again and a new minute for the lockout, whatever the test before did
        clock.advance(Duration.ofSeconds(61));
    }

    @Test
    void everyResponseToAKnownKeyShowsItsBucket() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);

        assertQuota(get(RUNNERS, org.read()), 200, 199, 1);
        for (int i = 0; i < 99; i++) {
            get(RUNNERS + "/" + id, org.read());
        }
        assertQuota(get(RUNNERS + "/available", org.read()), 200, 99, 2);
        assertQuota(fx.pod(org.write(), id, "p1", "running"), 200, 198, 1);
    }

    @Test
    void everyOperationCarriesTheHeadersAndA401DoesNot() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String[] write = bearer(org.write());
        List<Http.Reply> answers = List.of(
                get(RUNNERS, org.read()),
                get(RUNNERS + "/available", org.read()),
                get(RUNNERS + "/" + id, org.read()),
                get(RUNNERS + "/" + id + "/pods", org.read()),
                http.post(RUNNERS, runnerBody("second"), write),
                http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}", write),
                http.put(RUNNERS + "/" + id + "/pods/p1", podBody(), write),
                http.delete(RUNNERS + "/" + id, write),
                get(RUNNERS + "/" + id, org.read()),
                get(RUNNERS + "?limit=0", org.read()),
                http.post(RUNNERS, runnerBody("second"), write),
                http.post(RUNNERS, runnerBody("third"), bearer(org.read())),
                admin.createOrganization("{\"slug\":\"" + org.slug() + "-2\",\"name\":\"Two\"}", "Authorization",
                        Fixtures.ADMIN),
                admin.createKey(org.slug(), "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}", "Authorization",
                        Fixtures.ADMIN),
                admin.listKeys(org.slug(), "Authorization", Fixtures.ADMIN),
                admin.revokeKey(org.slug(), 999_999, "Authorization", Fixtures.ADMIN));
        assertEquals(List.of(200, 200, 200, 200, 201, 200, 201, 204, 404, 400, 409, 403, 201, 201, 200, 404),
                answers.stream().map(Http.Reply::status).toList());
        List<Executable> checks = new ArrayList<>();
        for (Http.Reply answer : answers) {
            checks.add(() -> assertTrue(answer.header("RateLimit-Limit").isPresent()
                    && answer.header("RateLimit-Remaining").isPresent()
                    && answer.header("RateLimit-Reset").isPresent(), () -> "no RateLimit-* headers on " + answer));
        }
        assertAll(checks);

        Http.Reply refused = get(RUNNERS, UNKNOWN_KEY);
        assertUnauthorized(refused, "INVALID_API_KEY");
        assertFalse(refused.header("RateLimit-Limit").isPresent(), refused::toString);
    }

    @Test
    void exhaustingReadsLeavesWritesAndOtherKeysWorking() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);

        for (int i = 0; i < BURST; i++) {
            assertEquals(200, get(RUNNERS + "/" + id, org.write()).status());
        }
        assertAll(
                () -> assertLimited(get(RUNNERS, org.write()), 200),
                () -> assertLimited(get(RUNNERS + "/available", org.write()), 200),
                () -> assertLimited(get(RUNNERS + "/" + id, org.write()), 200),
                () -> assertLimited(get(RUNNERS + "/" + id + "/pods", org.write()), 200));

        // the registration took the first write
        assertQuota(http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}", bearer(org.write())),
                200, 198, 1);
        assertQuota(get(RUNNERS + "/" + id, org.read()), 200, 199, 1);
    }

    @Test
    void exhaustingWritesLeavesReadsWorkingAndARefusedWriteChangesNothing() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 5);
        String[] write = bearer(org.write());
        for (int i = 1; i < BURST; i++) {
            assertEquals(200, http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}", write).status());
        }

        assertAll(
                () -> assertLimited(http.post(RUNNERS, runnerBody("refused"), write), 200),
                () -> assertLimited(http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"offline\"}", write), 200),
                () -> assertLimited(http.put(RUNNERS + "/" + id + "/pods/p1", podBody(), write), 200),
                () -> assertLimited(http.delete(RUNNERS + "/" + id, write), 200));

        JsonObject list = read(RUNNERS, org.write());
        assertEquals(List.of(id), ids(list), "nothing registered, nothing deleted");
        assertEquals("online", list.getJsonArray("runners").getJsonObject(0).getString("status"),
                "the refused offline heartbeat was not recorded");
        assertEquals(0, read(RUNNERS + "/" + id + "/pods", org.write()).getInt("total"), "no pod was reported");
    }

    @Test
    void aBucketRefillsAtItsRate() {
        Org org = organization();
        for (int i = 0; i < BURST; i++) {
            assertEquals(200, get(RUNNERS, org.read()).status());
        }
        assertLimited(get(RUNNERS, org.read()), 200);

        clock.advance(Duration.ofMillis(10));
        assertQuota(get(RUNNERS, org.read()), 200, 0, 2);
        assertLimited(get(RUNNERS, org.read()), 200);

        clock.advance(Duration.ofSeconds(1));
        assertQuota(get(RUNNERS, org.read()), 200, 99, 2);

        clock.advance(Duration.ofSeconds(2));
        assertQuota(get(RUNNERS, org.read()), 200, 199, 1);
    }

    @Test
    void theAdminTokenHasBucketsOfItsOwn() {
        String slug = fx.organization();
        for (int i = 0; i < BURST; i++) {
            assertEquals(200, admin.listKeys(slug, "Authorization", Fixtures.ADMIN).status());
        }
        assertLimited(admin.listKeys(slug, "Authorization", Fixtures.ADMIN), 200);

        Http.Reply created = admin.createKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:write\"]}",
                "Authorization", Fixtures.ADMIN);
        assertEquals(201, created.status(), created::toString);
        String key = created.json().getString("secret");
        assertQuota(get(RUNNERS, key), 200, 199, 1);
    }

    @Test
    void failedAuthenticationsLockTheAddressOutForTheRestOfTheMinute() {
        Org org = organization();
        List<Http.Reply> failures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            failures.add(get(RUNNERS, UNKNOWN_KEY));
        }
        for (int i = 0; i < 5; i++) {
            failures.add(http.get(RUNNERS));
        }
        for (int i = 0; i < 5; i++) {
            failures.add(admin.listKeys(org.slug(), "Authorization", "Bearer not-the-admin-token"));
        }
        assertTrue(failures.stream().allMatch(reply -> reply.status() == 401), failures::toString);

        clock.advance(Duration.ofSeconds(1));
        assertAll(
                () -> assertLockedOut(get(RUNNERS, org.read()), 59),
                () -> assertLockedOut(http.post(RUNNERS, runnerBody("locked-out"), bearer(org.write())), 59),
                () -> assertLockedOut(admin.createOrganization("{\"slug\":\"" + org.slug() + "-x\",\"name\":\"X\"}",
                        "Authorization", Fixtures.ADMIN), 59),
                () -> assertLockedOut(http.get("/openapi"), 59),
                () -> assertLockedOut(http.get("/no-such-path"), 59),
                () -> assertLockedOut(http.get(RUNNERS, "Authorization", "Bearer " + org.read(),
                        "X-Forwarded-For", "198.51.100.7"), 59),
                () -> assertEquals(200, http.get("/health/ready").status(), "the probes are never locked out"));

        clock.advance(Duration.ofSeconds(58));
        assertLockedOut(get(RUNNERS, org.read()), 1);

        clock.advance(Duration.ofSeconds(1));
        assertJson(get(RUNNERS, org.read()), 200);
        long id = fx.runner(org.write(), "after", List.of(), 5);
        assertEquals(List.of(id), ids(read(RUNNERS, org.read())), "nothing was registered while locked out");
        assertUnauthorized(get(RUNNERS, UNKNOWN_KEY), "INVALID_API_KEY");
        assertJson(get(RUNNERS, org.read()), 200);
    }

    private static void assertQuota(Http.Reply reply, long limit, long remaining, long reset) {
        assertTrue(reply.status() < 300, reply::toString);
        assertEquals(List.of(limit, remaining, reset), List.of(
                header(reply, "RateLimit-Limit"), header(reply, "RateLimit-Remaining"), header(reply, "RateLimit-Reset")),
                () -> "RateLimit-Limit, -Remaining, -Reset of " + reply);
    }

    /** A 429 of an empty bucket: retry after a second, when a token has come back. */
    private static void assertLimited(Http.Reply reply, long limit) {
        assertProblem(reply, 429, "RATE_LIMITED");
        assertEquals("1", reply.header("Retry-After").orElse(null), reply::toString);
        assertEquals(List.of(limit, 0L, 2L), List.of(header(reply, "RateLimit-Limit"),
                header(reply, "RateLimit-Remaining"), header(reply, "RateLimit-Reset")), reply::toString);
    }

    /** A 429 of the lockout: no bucket was consulted, and the minute ends in {@code seconds}. */
    private static void assertLockedOut(Http.Reply reply, long seconds) {
        assertProblem(reply, 429, "RATE_LIMITED");
        assertEquals(String.valueOf(seconds), reply.header("Retry-After").orElse(null), reply::toString);
        assertFalse(reply.header("RateLimit-Limit").isPresent(), reply::toString);
    }

    private static long header(Http.Reply reply, String name) {
        return Long.parseLong(reply.header(name).orElseThrow(() -> new AssertionError("no " + name + " on " + reply)));
    }

    private static String runnerBody(String name) {
        return "{\"name\":\"" + name + "\",\"version\":\"1.0\",\"os\":\"linux\",\"arch\":\"amd64\"}";
    }

    private static String podBody() {
        return "{\"status\":\"running\",\"agent_type_id\":\"claude-code\"}";
    }
}
