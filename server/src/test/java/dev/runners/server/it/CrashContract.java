package dev.runners.server.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC "Failure behaviour" (v1.1): an acknowledged write survives {@code kill -9} of the server at
 * any moment. The real jar runs as a child process; concurrent clients register runners, send
 * heartbeats, report pods, and create API keys and use them; the process is killed in the middle
 * of that and started again on the same data, where every write answered 2xx must be found.
 */
abstract class CrashContract {
    private static final String WRITE = "runners:write";
    /** The clients write at least this long; H2's default commit delay (500 ms) loses the last of it. */
    private static final Duration LOAD = Duration.ofMillis(2500);
    /** On a busy machine they go on until enough writes were answered, at most this long. */
    private static final Duration MOST_LOAD = Duration.ofSeconds(20);
    private static final int REGISTERING = 6;
    private static final int HEARTBEATING = 4;
    private static final int REPORTING_PODS = 6;
    private static final int CREATING_KEYS = 4;
    private static final List<String> ACTIVE = List.of("initializing", "running", "paused", "disconnected");

    /** Environment variables that point the service at the database under test (none: the default). */
    abstract Map<String, String> database();

    /** What the clients sent and which of it was answered 2xx. */
    private static final class Ledger {
        final AtomicBoolean killed = new AtomicBoolean();
        final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        /** runner id -> name, of every acknowledged registration */
        final Map<Long, String> registered = new ConcurrentHashMap<>();
        /** runner id -> the last heartbeat number sent, and the last one acknowledged */
        final Map<Long, Integer> heartbeatSent = new ConcurrentHashMap<>();
        final Map<Long, Integer> heartbeatAcknowledged = new ConcurrentHashMap<>();
        /** "runnerId/podKey" -> the last status sent, and the last one acknowledged */
        final Map<String, String> podSent = new ConcurrentHashMap<>();
        final Map<String, String> podAcknowledged = new ConcurrentHashMap<>();
        /** secrets of acknowledged keys */
        final Queue<String> keys = new ConcurrentLinkedQueue<>();
        final AtomicInteger writes = new AtomicInteger();

        /** Whether each kind of write was acknowledged a few times, and many writes in all. */
        boolean enough() {
            return registered.size() >= 5 && heartbeatAcknowledged.size() == HEARTBEATING
                    && podAcknowledged.size() >= 5 && keys.size() >= 3 && writes.get() >= 100;
        }

        /** True for 2xx; a refusal the test allows (429) is false; anything else is noted. */
        boolean acknowledged(Http.Reply reply, int expected) {
            if (reply.status() == expected) {
                writes.incrementAndGet();
                return true;
            }
            if (reply.status() != 429) {
                unexpected.add(reply.toString());
            }
            return false;
        }
    }

    @Test
    void everyWriteAnswered2xxIsThereAfterKill9AndARestart() throws Exception {
        Path workDir = Path.of("target", "crash", getClass().getSimpleName() + "-" + UUID.randomUUID());
        Map<String, String> env = new HashMap<>(database());
        env.put("RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN);
        // one tenant writing as fast as it can is the load here, not an abuse to refuse
        env.put("RUNNERS_RATE_LIMIT_READS_PER_SECOND", "0");
        env.put("RUNNERS_RATE_LIMIT_WRITES_PER_SECOND", "0");

        Ledger ledger = new Ledger();
        String org;
        String key;
        List<Long> heartbeating = new ArrayList<>();
        List<Long> reporting = new ArrayList<>();
        try (ServiceProcess service = ServiceProcess.startReady(workDir, env)) {
            Fixtures fx = new Fixtures(new Http(service.uri()));
            org = fx.organization();
            key = fx.key(org, WRITE);
            for (int i = 0; i < HEARTBEATING; i++) {
                heartbeating.add(fx.runner(key, "beating-" + i, List.of(), 10));
            }
            for (int i = 0; i < REPORTING_PODS; i++) {
                reporting.add(fx.runner(key, "hosting-" + i, List.of(), 1000));
            }
            load(service, fx, org, key, heartbeating, reporting, ledger);
        }
        assertTrue(ledger.unexpected.isEmpty(), () -> "answers other than 2xx/429 before the kill: "
                + ledger.unexpected.stream().limit(5).toList());
        assertTrue(ledger.enough(), () -> "too few writes were acknowledged: " + ledger.writes.get());

        try (ServiceProcess restarted = ServiceProcess.startReady(workDir, env)) {
            Http http = new Http(restarted.uri());
            List<String> lost = new ArrayList<>();
            Map<Long, JsonObject> runners = allRunners(http, key);
            ledger.registered.forEach((id, name) -> {
                JsonObject runner = runners.get(id);
                if (runner == null || !runner.getString("name").equals(name)) {
                    lost.add("registration " + id + " " + name + ": " + runner);
                }
            });
            for (long id : heartbeating) {
                heartbeatSurvived(ledger, id, runners.get(id), lost);
            }
            for (long id : reporting) {
                podsSurvived(http, key, ledger, id, runners.get(id), lost);
            }
            for (String secret : ledger.keys) {
                Http.Reply reply = http.get("/api/v1/runners?limit=1", Fixtures.bearer(secret));
                if (reply.status() != 200) {
                    lost.add("API key " + secret.substring(0, 8) + "…: " + reply.status() + " " + reply.body());
                }
            }
            System.out.printf("%s: %d writes acknowledged before kill -9 (%d registrations, %d pods, %d keys);"
                            + " %d lost%n", getClass().getSimpleName(), ledger.writes.get(), ledger.registered.size(),
                    ledger.podAcknowledged.size(), ledger.keys.size(), lost.size());
            assertEquals(List.of(), lost.stream().limit(10).toList(), lost.size() + " acknowledged writes lost of "
                    + ledger.writes.get());
        }
        // kept when the test fails: the services' output is in it
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Runs the clients for {@link #LOAD}, kills the service with SIGKILL while they write, and waits for them. */
    private static void load(ServiceProcess service, Fixtures fx, String org, String key, List<Long> heartbeating,
                             List<Long> reporting, Ledger ledger) throws Exception {
        Http http = fx.http();
        String[] auth = Fixtures.bearer(key);
        List<Runnable> clients = new ArrayList<>();
        for (int w = 0; w < REGISTERING; w++) {
            int worker = w;
            clients.add(() -> {
                for (int n = 0; ; n++) {
                    String name = "registered-" + worker + "-" + n;
                    Http.Reply reply = http.post("/api/v1/runners", "{\"name\":\"" + name
                            + "\",\"version\":\"1.0\",\"os\":\"linux\",\"arch\":\"amd64\",\"labels\":[\"crash\"]}", auth);
                    if (ledger.acknowledged(reply, 201)) {
                        ledger.registered.put(reply.json().getJsonObject("runner").getJsonNumber("id").longValue(), name);
                    }
                }
            });
        }
        for (long id : heartbeating) {
            clients.add(() -> {
                for (int n = 1; ; n++) {
                    ledger.heartbeatSent.put(id, n);
                    Http.Reply reply = http.post("/api/v1/runners/" + id + "/heartbeat",
                            "{\"status\":\"online\",\"version\":\"beat-" + n + "\"}", auth);
                    if (ledger.acknowledged(reply, 200)) {
                        ledger.heartbeatAcknowledged.put(id, n);
                    }
                }
            });
        }
        for (long id : reporting) {
            clients.add(() -> {
                for (int n = 0; ; n++) {
                    // pod keys are unique in the organization
                    String podKey = "pod-" + id + "-" + n;
                    String pod = id + "/" + podKey;
                    for (String status : List.of("running", "completed")) {
                        ledger.podSent.put(pod, status);
                        Http.Reply reply = http.put("/api/v1/runners/" + id + "/pods/" + podKey, "{\"status\":\"" + status
                                + "\",\"agent_type_id\":\"claude-code\"}", auth);
                        if (ledger.acknowledged(reply, status.equals("running") ? 201 : 200)) {
                            ledger.podAcknowledged.put(pod, status);
                        }
                    }
                }
            });
        }
        for (int w = 0; w < CREATING_KEYS; w++) {
            int worker = w;
            clients.add(() -> {
                for (int n = 0; ; n++) {
                    Http.Reply created = http.post("/api/v1/admin/organizations/" + org + "/api-keys",
                            "{\"name\":\"fresh " + worker + "-" + n + "\",\"scopes\":[\"runners:read\"]}",
                            "Authorization", Fixtures.ADMIN);
                    if (ledger.acknowledged(created, 201)) {
                        String secret = created.json().getString("secret");
                        ledger.keys.add(secret);
                        Http.Reply used = http.get("/api/v1/runners?limit=1", Fixtures.bearer(secret));
                        if (used.status() != 200 && used.status() != 429) {
                            ledger.unexpected.add("a fresh key: " + used);
                        }
                    }
                }
            });
        }

        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        CountDownLatch stopped = new CountDownLatch(clients.size());
        for (Runnable client : clients) {
            pool.execute(() -> {
                try {
                    client.run();
                } catch (RuntimeException | AssertionError e) {
                    // after the kill every request fails to connect: that is how a client stops
                    if (!ledger.killed.get()) {
                        ledger.unexpected.add("before the kill: " + e);
                    }
                } finally {
                    stopped.countDown();
                }
            });
        }
        Instant start = Instant.now();
        Thread.sleep(LOAD.toMillis());
        // a slow machine writes less in that time: go on until every kind of write was answered a few times
        Instant latest = start.plus(MOST_LOAD);
        while (!ledger.enough() && Instant.now().isBefore(latest)) {
            Thread.sleep(100);
        }
        ledger.killed.set(true);
        service.kill();
        boolean ended = stopped.await(60, TimeUnit.SECONDS);
        pool.shutdownNow();
        assertTrue(ended, "the clients did not notice the kill");
        System.out.printf("load of %d clients for %d ms before kill -9%n", clients.size(),
                Duration.between(start, Instant.now()).toMillis());
    }

    /** The runner shows the last acknowledged heartbeat, or the one in flight when the service died. */
    private static void heartbeatSurvived(Ledger ledger, long id, JsonObject runner, List<String> lost) {
        Integer acknowledged = ledger.heartbeatAcknowledged.get(id);
        if (acknowledged == null) {
            return;
        }
        int sent = ledger.heartbeatSent.get(id);
        String version = runner == null ? "(no runner)" : runner.getString("version");
        boolean survived = runner != null && !runner.isNull("last_heartbeat_at")
                && (version.equals("beat-" + acknowledged) || version.equals("beat-" + sent));
        if (!survived) {
            lost.add("heartbeat beat-" + acknowledged + " of runner " + id + ": found " + version);
        }
    }

    /** Each acknowledged pod report is stored (or the next one, in flight at the kill), and pod_count agrees. */
    private static void podsSurvived(Http http, String key, Ledger ledger, long id, JsonObject runner,
                                     List<String> lost) {
        Map<String, String> stored = new HashMap<>();
        int active = 0;
        for (int offset = 0; ; offset += 100) {
            Http.Reply reply = http.get("/api/v1/runners/" + id + "/pods?limit=100&offset=" + offset,
                    Fixtures.bearer(key));
            assertEquals(200, reply.status(), reply::toString);
            List<JsonObject> pods = reply.json().getJsonArray("pods").getValuesAs(JsonObject.class);
            for (JsonObject pod : pods) {
                stored.put(id + "/" + pod.getString("key"), pod.getString("status"));
                active += ACTIVE.contains(pod.getString("status")) ? 1 : 0;
            }
            if (pods.size() < 100) {
                break;
            }
        }
        String prefix = id + "/";
        ledger.podAcknowledged.forEach((pod, status) -> {
            if (!pod.startsWith(prefix)) {
                return;
            }
            String found = stored.get(pod);
            if (!status.equals(found) && !ledger.podSent.get(pod).equals(found)) {
                lost.add("pod " + pod + " " + status + ": found " + found);
            }
        });
        if (runner == null || runner.getInt("pod_count") != active) {
            lost.add("pod_count of runner " + id + ": " + (runner == null ? "(no runner)" : runner.getInt("pod_count"))
                    + " with " + active + " active pods listed");
        }
    }

    /** Every runner of the organization, by id. */
    private static Map<Long, JsonObject> allRunners(Http http, String key) {
        Map<Long, JsonObject> runners = new HashMap<>();
        for (int offset = 0; ; offset += 1000) {
            Http.Reply reply = http.get("/api/v1/runners?limit=1000&offset=" + offset, Fixtures.bearer(key));
            assertEquals(200, reply.status(), reply::toString);
            List<JsonObject> page = reply.json().getJsonArray("runners").getValuesAs(JsonObject.class);
            page.forEach(r -> runners.put(r.getJsonNumber("id").longValue(), r));
            if (page.size() < 1000) {
                return runners;
            }
        }
    }
}
