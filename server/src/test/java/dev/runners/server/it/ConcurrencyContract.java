package dev.runners.server.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SPEC "Failure behaviour": concurrent writes to the same runner or pod never produce a 500, a
 * lost update of pod_count, or a duplicate. Many real HTTP clients write at once, released
 * together by a latch; the result is then read back through the API.
 */
abstract class ConcurrencyContract extends ApiContract {
    private static final int THREADS = 32;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(THREADS + 8);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** One answered request. */
    record Outcome(int worker, String what, int status, String code) {
        static Outcome of(int worker, String what, Http.Reply reply) {
            String code = null;
            if (reply.status() >= 400 && reply.contentType().startsWith("application/problem+json")) {
                code = reply.json().getString("code", null);
            }
            return new Outcome(worker, what, reply.status(), code);
        }

        @Override
        public String toString() {
            return "worker " + worker + " " + what + " -> " + status + (code == null ? "" : " " + code);
        }
    }

    /** Runs the workers together and returns every outcome; fails if one did not finish. */
    private List<Outcome> runTogether(List<Callable<List<Outcome>>> workers) throws Exception {
        CountDownLatch ready = new CountDownLatch(workers.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (Callable<List<Outcome>> worker : workers) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return worker.call();
            }));
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS), "workers did not start");
        go.countDown();
        List<Outcome> all = new ArrayList<>();
        for (Future<List<Outcome>> f : futures) {
            all.addAll(f.get(180, TimeUnit.SECONDS));
        }
        List<Outcome> failed = all.stream().filter(o -> o.status() >= 500).toList();
        assertEquals(List.of(), failed, "no request may fail with a 5xx");
        return all;
    }

    private static void assertOnly(List<Outcome> outcomes, java.util.function.Predicate<Outcome> allowed,
                                   String rule) {
        List<Outcome> unexpected = outcomes.stream().filter(allowed.negate()).toList();
        assertEquals(List.of(), unexpected, rule);
    }

    @Test
    void manyWritersOnOneRunnerKeepPodCountExactAndKeysUnique() throws Exception {
        Org t = organization();
        long id = runner(t, "contended", 1000);
        fx.heartbeat(t.write(), id, "online");
        int shared = 8;

        List<Callable<List<Outcome>>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            workers.add(() -> {
                List<Outcome> out = new ArrayList<>();
                String a = "w" + worker + "-a";
                String b = "w" + worker + "-b";
                String c = "w" + worker + "-c";
                String s1 = "shared-" + (worker % shared);
                String s2 = "shared-" + ((worker + 3) % shared);
                out.add(Outcome.of(worker, "own " + a + " initializing", fx.pod(t.write(), id, a, "initializing")));
                out.add(Outcome.of(worker, "shared " + s1 + " running", fx.pod(t.write(), id, s1, "running")));
                out.add(Outcome.of(worker, "heartbeat", heartbeat(t, id, "{\"status\":\"online\"}")));
                out.add(Outcome.of(worker, "own " + a + " running", fx.pod(t.write(), id, a, "running")));
                out.add(Outcome.of(worker, "own " + b + " running", fx.pod(t.write(), id, b, "running")));
                out.add(Outcome.of(worker, "shared " + s2 + " running", fx.pod(t.write(), id, s2, "running")));
                out.add(Outcome.of(worker, "own " + b + " terminated", fx.pod(t.write(), id, b, "terminated")));
                if (worker % 4 == 0) {
                    out.add(Outcome.of(worker, "end " + s1 + " completed", fx.pod(t.write(), id, s1, "completed")));
                } else {
                    out.add(Outcome.of(worker, "own " + c + " paused", fx.pod(t.write(), id, c, "paused")));
                }
                out.add(Outcome.of(worker, "heartbeat", heartbeat(t, id, "{\"status\":\"online\",\"max_pods\":1000}")));
                out.add(Outcome.of(worker, "own " + a + " running", fx.pod(t.write(), id, a, "running")));
                return out;
            });
        }
        List<Outcome> all = runTogether(workers);
        assertEquals(THREADS * 10, all.size());

        // what each kind of write must have answered
        assertOnly(all, o -> !o.what().startsWith("heartbeat") || o.status() == 200, "heartbeats answer 200");
        assertOnly(all, o -> !o.what().startsWith("own") || o.status() == (o.what().contains("initializing")
                || o.what().contains("-b running") || o.what().contains("-c paused") ? 201 : 200),
                "a worker's own pods: 201 when created, 200 after");
        assertOnly(all, o -> !o.what().startsWith("shared") || o.status() == 200 || o.status() == 201
                || (o.status() == 409 && "INVALID_TRANSITION".equals(o.code())),
                "shared pods: 200/201, or 409 INVALID_TRANSITION once completed");
        assertOnly(all, o -> !o.what().startsWith("end") || o.status() == 200, "completing a shared pod: 200");
        Map<String, Long> creations = all.stream().filter(o -> o.what().startsWith("shared") && o.status() == 201)
                .collect(Collectors.groupingBy(o -> o.what().split(" ")[1], TreeMap::new, Collectors.counting()));
        Map<String, Long> once = new TreeMap<>();
        for (int k = 0; k < shared; k++) {
            once.put("shared-" + k, 1L);
        }
        assertEquals(once, creations, "each shared pod is created exactly once");

        // the state read back
        List<JsonObject> pods = pods(t, id);
        List<String> keys = pods.stream().map(p -> p.getString("key")).toList();
        assertEquals(keys.size(), new HashSet<>(keys).size(), () -> "a key is listed twice: " + keys);
        Map<String, String> expected = new TreeMap<>();
        for (int w = 0; w < THREADS; w++) {
            expected.put("w" + w + "-a", "running");
            expected.put("w" + w + "-b", "terminated");
            if (w % 4 != 0) {
                expected.put("w" + w + "-c", "paused");
            }
        }
        for (int k = 0; k < shared; k++) {
            expected.put("shared-" + k, k % 4 == 0 ? "completed" : "running");
        }
        Map<String, String> actual = new TreeMap<>();
        pods.forEach(p -> actual.put(p.getString("key"), p.getString("status")));
        assertEquals(expected, actual, "every acknowledged write is in the final state");

        int active = PodLifecycleContract.countActive(pods);
        JsonObject runner = getRunner(t, id);
        assertEquals(active, runner.getInt("pod_count"), "pod_count equals the active pods listed");
        assertEquals(THREADS + 24 + 6, active);
        assertEquals("online", runner.getString("status"));
        assertEquals(List.of(id), availableIds(t));
        Http.Reply activeList = http.get(RUNNERS + "/" + id
                + "/pods?limit=100&status=initializing&status=running&status=paused&status=disconnected", t.auth());
        assertEquals(active, activeList.json().getInt("total"), activeList::toString);
    }

    @Test
    void oneKeyReportedOnSeveralRunnersAtOnceLandsOnExactlyOne() throws Exception {
        Org t = organization();
        int runnerCount = 8;
        List<Long> runners = new ArrayList<>();
        for (int r = 0; r < runnerCount; r++) {
            runners.add(runner(t, "host-" + r, 50));
        }
        int keys = 10;
        List<Callable<List<Outcome>>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            workers.add(() -> {
                List<Outcome> out = new ArrayList<>();
                for (int k = 0; k < keys; k++) {
                    long runnerId = runners.get((worker + k) % runnerCount);
                    out.add(Outcome.of(worker, "contested-" + k + " on " + runnerId,
                            fx.pod(t.write(), runnerId, "contested-" + k, "running")));
                }
                return out;
            });
        }
        List<Outcome> all = runTogether(workers);
        assertOnly(all, o -> o.status() == 200 || o.status() == 201
                || (o.status() == 409 && "POD_KEY_TAKEN".equals(o.code())), "200/201 or 409 POD_KEY_TAKEN only");

        Map<String, String> holder = new HashMap<>();
        for (int k = 0; k < keys; k++) {
            String key = "contested-" + k;
            List<Outcome> created = all.stream().filter(o -> o.what().startsWith(key + " ") && o.status() == 201)
                    .toList();
            assertEquals(1, created.size(), () -> key + " created " + created);
            String winner = created.get(0).what().substring((key + " on ").length());
            holder.put(key, winner);
            assertOnly(all, o -> !o.what().startsWith(key + " ")
                    || (o.what().endsWith(" on " + winner) ? o.status() != 409 : o.status() == 409),
                    "only the runner that created " + key + " may report it");
        }

        int total = 0;
        Set<String> seen = new HashSet<>();
        for (long runnerId : runners) {
            List<JsonObject> pods = pods(t, runnerId);
            for (JsonObject pod : pods) {
                String key = pod.getString("key");
                assertTrue(seen.add(key), () -> key + " listed on two runners");
                assertEquals(holder.get(key), String.valueOf(runnerId), key + " is on the runner that created it");
            }
            assertEquals(pods.size(), podCount(t, runnerId), "pod_count of runner " + runnerId);
            total += pods.size();
        }
        assertEquals(keys, total);
    }

    @Test
    void oneNameRegisteredAtOnceIsTakenOnce() throws Exception {
        Org t = organization();
        List<Callable<List<Outcome>>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            workers.add(() -> List.of(
                    Outcome.of(worker, "same", register(t, registration("same-name").build().toString())),
                    Outcome.of(worker, "own", register(t, registration("own-" + worker).build().toString()))));
        }
        List<Outcome> all = runTogether(workers);
        assertOnly(all, o -> !o.what().equals("own") || o.status() == 201, "distinct names: 201");
        List<Outcome> same = all.stream().filter(o -> o.what().equals("same")).toList();
        assertEquals(1, same.stream().filter(o -> o.status() == 201).count(), same::toString);
        assertOnly(same, o -> o.status() == 201 || (o.status() == 409 && "RUNNER_NAME_TAKEN".equals(o.code())),
                "same name: one 201, else 409 RUNNER_NAME_TAKEN");
        assertEquals(THREADS + 1, runnerTotal(t));
        long named = runnerList(t, "").getJsonArray("runners").stream()
                .filter(r -> r.asJsonObject().getString("name").equals("same-name")).count();
        assertEquals(1, named);
    }

    @Test
    void concurrentHeartbeatsLeaveOneWholeHeartbeatAndMatchingLabels() throws Exception {
        Org t = organization();
        long id = fx.runner(t.write(), "beating", List.of("initial"), 10);
        List<Callable<List<Outcome>>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            workers.add(() -> {
                List<Outcome> out = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String body = "{\"status\":\"online\",\"version\":\"v" + worker + "\",\"max_pods\":" + (worker + 1)
                            + ",\"labels\":[\"common\",\"w" + worker + "\"]}";
                    out.add(Outcome.of(worker, "heartbeat", heartbeat(t, id, body)));
                    out.add(Outcome.of(worker, "pod", fx.pod(t.write(), id, "p" + worker + "-" + i,
                            i % 2 == 0 ? "running" : "completed")));
                }
                return out;
            });
        }
        List<Outcome> all = runTogether(workers);
        assertOnly(all, o -> o.what().equals("pod") ? o.status() == 201 : o.status() == 200,
                "heartbeats 200, new pods 201");

        JsonObject runner = getRunner(t, id);
        String version = runner.getString("version");
        int worker = Integer.parseInt(version.substring(1));
        assertEquals(worker + 1, runner.getInt("max_pods"), "max_pods from the same heartbeat as " + version);
        assertEquals(array(List.of("common", "w" + worker)), runner.getJsonArray("labels"),
                "labels from the same heartbeat as " + version);
        assertEquals(List.of(id), ids(runnerList(t, "?label=common&label=w" + worker)));
        assertEquals(List.of(), ids(runnerList(t, "?label=initial")));
        for (int w = 0; w < THREADS; w++) {
            if (w != worker) {
                assertEquals(List.of(), ids(runnerList(t, "?label=w" + w)), "stale label w" + w);
            }
        }
        List<JsonObject> pods = pods(t, id);
        assertEquals(THREADS * 3, pods.size(), "every pod is stored");
        int active = PodLifecycleContract.countActive(pods);
        assertEquals(THREADS * 2, active);
        assertEquals(active, runner.getInt("pod_count"));
        assertEquals("busy", runner.getString("status"), "64 active pods, at most 32 slots");
    }

    @Test
    void deletingARunnerWhileItsPodsAreWrittenLeavesNothingBehind() throws Exception {
        Org t = organization();
        long id = runner(t, "vanishing", 1000);
        List<Callable<List<Outcome>>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            workers.add(() -> {
                List<Outcome> out = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    if (worker == 0 && i == 2) {
                        out.add(Outcome.of(worker, "delete", http.delete(RUNNERS + "/" + id, t.auth())));
                    }
                    out.add(Outcome.of(worker, "pod", fx.pod(t.write(), id, "v" + worker + "-" + i, "running")));
                    out.add(Outcome.of(worker, "heartbeat", heartbeat(t, id, "{\"status\":\"online\"}")));
                }
                return out;
            });
        }
        List<Outcome> all = runTogether(workers);
        assertOnly(all, o -> switch (o.what()) {
            case "delete" -> o.status() == 204;
            case "pod" -> o.status() == 201 || (o.status() == 404 && "NOT_FOUND".equals(o.code()));
            default -> o.status() == 200 || (o.status() == 404 && "NOT_FOUND".equals(o.code()));
        }, "writes succeed before the delete and are 404 after it");

        assertProblem(http.get(RUNNERS + "/" + id, t.auth()), 404, "NOT_FOUND");
        assertProblem(http.get(RUNNERS + "/" + id + "/pods", t.auth()), 404, "NOT_FOUND");
        assertEquals(0, runnerTotal(t));
        // every key is free again
        long successor = runner(t, "successor", 1000);
        for (int w = 0; w < THREADS; w++) {
            for (int i = 0; i < 5; i++) {
                Http.Reply reply = fx.pod(t.write(), successor, "v" + w + "-" + i, "running");
                if (reply.status() != 201) {
                    fail("key v" + w + "-" + i + " is not free after the delete: " + reply);
                }
            }
        }
        assertEquals(THREADS * 5, podCount(t, successor));
    }
}
