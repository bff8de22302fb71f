package dev.runners.server.it;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The routing lane's reads (a runner, a runner's pods) answer exactly as JAX-RS does. Two read keys
 * of one organization, alike in everything, send the same reads: one in the form the lane serves,
 * the other with an Accept header that the lane hands on to JAX-RS (which disregards Accept). Each
 * answer, status, headers (the rate limit's and the entity tag included) and body, must be the same
 * but for the date. Runs on the embedded database: the lane is above the store.
 */
@OnEmbeddedDatabase
class RoutingLaneReadsH2IT extends ApiContract {
    private static final String[] HANDED_ON = {"Accept", "text/html"};
    private static final String OTHER_KEY = "rk_" + "A".repeat(40);

    /** One read: its method and path, its expected status, its headers made from the key that sends it, a body. */
    private record Step(String name, int status, String method, String path, Function<String, String[]> headers,
                        boolean body) {
        /** A GET with the key as a bearer token, and {@code headers}. */
        static Step of(String name, int status, String path, String... headers) {
            return new Step(name, status, "GET", path, key -> concat(Fixtures.bearer(key), headers), false);
        }

        /** A GET with {@code headers} only. */
        static Step as(String name, int status, String path, String... headers) {
            return new Step(name, status, "GET", path, key -> headers, false);
        }
    }

    @Test
    void theLaneAnswersEveryReadAsJaxRsDoes() {
        Org org = organization();
        String laneKey = fx.key(org.slug(), READ);
        String jaxRsKey = fx.key(org.slug(), READ);
        long runner = runner(org, "reader", 10);
        pod(org.write(), runner, "p-1", "running");
        pod(org.write(), runner, "p-2", "running");
        pod(org.write(), runner, "p-3", "paused");
        pod(org.write(), runner, "p-4", "completed");
        pod(org.write(), runner, "p-5", "running");
        String one = RUNNERS + "/" + runner;
        String pods = one + "/pods";
        String runnerTag = get(one, org.write()).header("ETag").orElseThrow();
        String pageTag = get(pods + "?limit=2", org.write()).header("ETag").orElseThrow();

        List<Step> conversation = List.of(
                Step.of("a runner", 200, one),
                new Step("a runner, X-API-Key", 200, "GET", one, key -> new String[] {"X-API-Key", key}, false),
                new Step("a runner, both headers", 200, "GET", one,
                        key -> new String[] {"Authorization", "Bearer " + key, "X-API-Key", key}, false),
                Step.of("a runner, Accept JSON", 200, one, "Accept", "application/json"),
                Step.of("its tag", 304, one, "If-None-Match", runnerTag),
                Step.of("its tag among others", 304, one, "If-None-Match", "\"x\", " + runnerTag.substring(2)),
                Step.of("any tag", 304, one, "If-None-Match", "*"),
                Step.of("another tag", 200, one, "If-None-Match", "W/\"other\""),
                Step.of("unknown runner", 404, RUNNERS + "/987654321"),
                Step.of("id not a number", 400, RUNNERS + "/abc"),
                Step.of("id zero", 400, RUNNERS + "/0"),
                Step.of("id beyond int64", 400, RUNNERS + "/99999999999999999999"),
                Step.of("a fixed segment where the id stands", 200, RUNNERS + "/available"),
                Step.of("trailing slash", 200, one + "/"),
                Step.of("matrix parameter", 400, one + ";v=1"),
                Step.of("percent-encoded id", 200, RUNNERS + "/%3" + Long.toString(runner).substring(0, 1)
                        + Long.toString(runner).substring(1)),
                Step.of("query on a runner", 400, one + "?limit=1"),
                new Step("a body on a read", 200, "GET", one, Fixtures::bearer, true),
                new Step("HEAD", 200, "HEAD", one, Fixtures::bearer, false),
                Step.of("pods", 200, pods),
                Step.of("first page", 200, pods + "?limit=2"),
                Step.of("middle page", 200, pods + "?limit=2&offset=2"),
                Step.of("last page", 200, pods + "?offset=4&limit=2"),
                Step.of("a page's tag", 304, pods + "?limit=2", "If-None-Match", pageTag),
                Step.of("one status", 200, pods + "?status=running&limit=1"),
                Step.of("two statuses", 200, pods + "?status=running&status=paused&limit=1&offset=1"),
                Step.of("largest limit", 200, pods + "?limit=100"),
                Step.of("limit beyond the largest", 400, pods + "?limit=101"),
                Step.of("limit zero", 400, pods + "?limit=0"),
                Step.of("limit not a number", 400, pods + "?limit=abc"),
                Step.of("limit empty", 400, pods + "?limit="),
                Step.of("limit twice", 400, pods + "?limit=1&limit=2"),
                Step.of("negative offset", 400, pods + "?offset=-1"),
                Step.of("largest offset", 200, pods + "?offset=2147483647"),
                Step.of("offset beyond int32", 400, pods + "?offset=2147483648"),
                Step.of("unknown status", 400, pods + "?status=sleepy"),
                Step.of("status empty", 400, pods + "?status="),
                Step.of("unknown parameter", 400, pods + "?limit=2&color=red"),
                Step.of("parameter without a value", 400, pods + "?limit"),
                Step.of("empty pair", 200, pods + "?limit=2&"),
                Step.of("percent-encoded value", 200, pods + "?limit=%32"),
                Step.of("pods of an unknown runner", 404, RUNNERS + "/987654321/pods"),
                Step.of("pods of an id not a number", 400, RUNNERS + "/abc/pods"),
                Step.of("pods of a fixed segment", 400, RUNNERS + "/available/pods"),
                // last: a refused credential starts the lockout's count of the address, and the lane then hands every request on
                Step.as("no credentials", 401, one),
                Step.as("unknown key", 401, one, "Authorization", "Bearer " + OTHER_KEY),
                new Step("two different keys", 401, "GET", pods,
                        key -> new String[] {"Authorization", "Bearer " + key, "X-API-Key", OTHER_KEY}, false));

        for (Step step : conversation) {
            Http.Reply lane = send(step, step.headers().apply(laneKey));
            Http.Reply jaxRs = send(step, concat(step.headers().apply(jaxRsKey), HANDED_ON));
            assertEquals(step.status(), lane.status(), () -> step.name() + ": " + lane);
            assertEquals(answer(jaxRs), answer(lane), step.name());
        }
    }

    private Http.Reply send(Step step, String[] headers) {
        Http.Call call = http.call(step.method(), step.path()).headers(headers);
        if (step.body()) {
            call.body(null, HttpRequest.BodyPublishers.ofString("{}"));
        }
        return call.send();
    }

    /** Status, headers (but the date) and body. */
    private static String answer(Http.Reply reply) {
        Map<String, List<String>> headers = new TreeMap<>(reply.response().headers().map());
        headers.remove("date");
        return reply.status() + " " + headers + " " + reply.body();
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }
}
