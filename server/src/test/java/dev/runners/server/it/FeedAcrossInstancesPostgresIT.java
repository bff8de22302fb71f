package dev.runners.server.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.runners.server.support.EventStream;
import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnPostgres;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change feed with two instances on one PostgreSQL database: A is the server of the test, B the
 * service jar as a child process. Their only link is the database (LISTEN/NOTIFY). The heartbeat
 * timeout is 2 s on both, so that both race to announce a timeout.
 */
@OnPostgres
class FeedAcrossInstancesPostgresIT {
    private static final String TIMEOUT_KEY = "runners.heartbeat-timeout-seconds";
    private static final String EVENTS = "/api/v1/runners/events";
    private static final int WRITERS = 16;
    private static final int PODS_PER_WRITER = 12;

    static {
        // read by A when its container starts, after this class is loaded
        System.setProperty(TIMEOUT_KEY, "2");
    }

    private static ServiceProcess instanceB;

    @Inject
    WebTarget target;

    private Http a;
    private Http b;
    private Fixtures fx;

    @BeforeAll
    static void startSecondInstance() throws Exception {
        instanceB = ServiceProcess.startReady(Path.of("target", "instances", "feed-" + UUID.randomUUID()), Map.of(
                "DB_CONNECTION_URL", System.getProperty("db.connection.url"),
                "DB_CONNECTION_USERNAME", System.getProperty("db.connection.username"),
                "DB_CONNECTION_PASSWORD", System.getProperty("db.connection.password"),
                "RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN,
                "RUNNERS_HEARTBEAT_TIMEOUT_SECONDS", "2"));
    }

    @AfterAll
    static void stopSecondInstance() throws Exception {
        System.clearProperty(TIMEOUT_KEY);
        if (instanceB != null) {
            instanceB.close();
        }
    }

    @BeforeEach
    void connect() {
        a = new Http(target.getUri());
        b = new Http(instanceB.uri());
        fx = new Fixtures(a);
    }

    /** A new organization with its keys, as every HTTP suite makes one ({@link ApiContract.Org}). */
    private ApiContract.Org organization() {
        return ApiContract.organization(fx);
    }

    @Test
    void sixteenWritersOnTwoInstancesGiveEverySubscriberEveryEventOnceInOrder() throws Exception {
        ApiContract.Org t = organization();
        int expected = WRITERS * (1 + PODS_PER_WRITER);
        List<EventStream> streams = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        try {
            for (Http instance : List.of(a, b, a, b)) {
                streams.add(EventStream.open(instance.base(), EVENTS + "?since=0", Fixtures.bearer(t.read())));
            }
            streams.forEach(s -> assertEquals(200, s.status()));
            Future<List<JsonObject>> pollA = pool.submit(() -> longPollUntil(a, t.read(), expected));
            Future<List<JsonObject>> pollB = pool.submit(() -> longPollUntil(b, t.read(), expected));

            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Http through = w % 2 == 0 ? a : b;
                String name = "writer-" + w;
                writers.add(pool.submit(() -> {
                    Fixtures writer = new Fixtures(through);
                    long id = writer.runner(t.write(), name, List.of(), 1000);
                    for (int p = 0; p < PODS_PER_WRITER; p++) {
                        Http.Reply reply = writer.pod(t.write(), id, name + "-pod-" + p, "running");
                        assertEquals(201, reply.status(), reply::toString);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }

            List<List<JsonObject>> seen = new ArrayList<>();
            for (EventStream stream : streams) {
                List<JsonObject> data = new ArrayList<>();
                stream.take(expected, Duration.ofSeconds(30)).forEach(frame -> {
                    assertEquals(frame.id(), frame.data().getJsonNumber("version").longValue());
                    data.add(frame.data());
                });
                assertTrue(stream.next(Duration.ofSeconds(1)) == null, "nothing after the last write");
                seen.add(data);
            }
            seen.add(pollA.get(60, TimeUnit.SECONDS));
            seen.add(pollB.get(60, TimeUnit.SECONDS));

            Set<String> writes = new HashSet<>();
            for (int w = 0; w < WRITERS; w++) {
                writes.add("runner.registered writer-" + w);
                for (int p = 0; p < PODS_PER_WRITER; p++) {
                    writes.add("pod.changed writer-" + w + "-pod-" + p);
                }
            }
            for (List<JsonObject> events : seen) {
                assertEquals(expected, events.size(), "every subscriber sees every event");
                Set<String> announced = new HashSet<>();
                Map<Long, Integer> podCounts = new HashMap<>();
                for (int i = 0; i < events.size(); i++) {
                    JsonObject event = events.get(i);
                    assertEquals(i + 1, event.getJsonNumber("version").longValue(), "no gap, no reordering");
                    JsonObject runner = event.getJsonObject("runner");
                    String what = event.getString("type") + " " + (event.getString("type").equals("pod.changed")
                            ? event.getJsonObject("pod").getString("key") : runner.getString("name"));
                    assertTrue(announced.add(what), () -> "announced twice: " + what);
                    // snapshots follow commit order: each pod event of a runner counts one pod more
                    long runnerId = event.getJsonNumber("runner_id").longValue();
                    int count = podCounts.merge(runnerId, event.getString("type").equals("pod.changed") ? 1 : 0,
                            Integer::sum);
                    assertEquals(count, runner.getInt("pod_count"), event::toString);
                }
                assertEquals(writes, announced, "nothing missed, nothing else");
            }
            assertEquals(expected, a.get(EVENTS + "?wait=0", Fixtures.bearer(t.read())).json()
                    .getJsonNumber("version").longValue());
        } finally {
            streams.forEach(EventStream::close);
            pool.shutdownNow();
        }
    }

    /** Long polls from 0 until {@code count} events were received, checking that each answer follows on. */
    private static List<JsonObject> longPollUntil(Http instance, String key, int count) {
        List<JsonObject> events = new ArrayList<>();
        long since = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (events.size() < count && System.nanoTime() < deadline) {
            JsonObject answer = instance.get(EVENTS + "?since=" + since + "&wait=10&limit=7", Fixtures.bearer(key)).json();
            answer.getJsonArray("events").getValuesAs(JsonObject.class).forEach(events::add);
            since = answer.getJsonNumber("version").longValue();
        }
        return events;
    }

    @Test
    void anEventWrittenThroughOneInstanceReachesTheSubscribersOfTheOtherWithinASecond() throws Exception {
        ApiContract.Org t = organization();
        for (Http[] route : List.of(new Http[] {a, b}, new Http[] {b, a})) {
            Http writeThrough = route[0];
            try (EventStream stream = EventStream.open(route[1].base(), EVENTS, Fixtures.bearer(t.read()))) {
                assertEquals(200, stream.status());
                for (int i = 0; i < 5; i++) {
                    long id = new Fixtures(writeThrough).runner(t.write(), "far-" + UUID.randomUUID().toString()
                            .substring(0, 8), List.of(), 1);
                    long written = System.nanoTime();
                    EventStream.Frame frame = stream.next(Duration.ofSeconds(5));
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written);
                    assertNotNull(frame, "delivered at all");
                    assertEquals(id, frame.data().getJsonNumber("runner_id").longValue());
                    assertTrue(millis <= 1000, () -> "delivered " + millis + " ms after the write was acknowledged");
                }
            }
        }
    }

    @Test
    void aTimeoutIsAnnouncedOnceThoughBothInstancesSweep() throws Exception {
        ApiContract.Org t = organization();
        List<Long> silent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Fixtures writer = new Fixtures(i % 2 == 0 ? a : b);
            long id = writer.runner(t.write(), "silent-" + i, List.of(), 1);
            writer.heartbeat(t.write(), id, "online");
            silent.add(id);
        }
        long since = 2L * silent.size();
        List<JsonObject> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < deadline) {
            JsonObject answer = b.get(EVENTS + "?since=" + since + "&wait=1", Fixtures.bearer(t.read())).json();
            answer.getJsonArray("events").getValuesAs(JsonObject.class).forEach(events::add);
            since = answer.getJsonNumber("version").longValue();
        }
        List<Long> announced = new ArrayList<>();
        for (JsonObject event : events) {
            assertEquals("runner.changed", event.getString("type"), event::toString);
            assertEquals("offline", event.getJsonObject("runner").getString("status"), event::toString);
            announced.add(event.getJsonNumber("runner_id").longValue());
        }
        Collections.sort(announced);
        assertEquals(silent, announced, "each timeout announced exactly once, within the 2 s timeout + 5 s");
    }
}
