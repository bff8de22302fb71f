package dev.runners.server.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.runners.server.support.EventStream;
import dev.runners.server.support.Http;
import dev.runners.server.support.RawConnection;
import dev.runners.server.support.TestClock;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.POD_FIELDS;
import static dev.runners.server.support.ApiAssertions.RUNNER_FIELDS;
import static dev.runners.server.support.ApiAssertions.assertTimestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Endpoint 13, the change feed, on one instance: what each write emits (and what it does not), the
 * long poll, the stream, resuming, parameters, retention and the per-key cap. Every test works in an
 * organization of its own, since the clock of the class is shared.
 */
abstract class FeedContract extends ApiContract {
    static final String EVENTS = RUNNERS + "/events";
    static final Set<String> EVENT_FIELDS = Set.of("version", "type", "at", "runner_id", "runner", "pod");

    @Inject
    TestClock clock;

    Http.Reply poll(Org t, String query) {
        return http.get(EVENTS + query, t.auth());
    }

    /** A long poll that must answer 200; returns its body. */
    JsonObject events(Org t, String query) {
        Http.Reply reply = poll(t, query);
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply::toString);
        return reply.json();
    }

    long currentVersion(Org t) {
        JsonObject answer = events(t, "?wait=0");
        assertEquals(0, answer.getJsonArray("events").size(), answer::toString);
        return answer.getJsonNumber("version").longValue();
    }

    static List<JsonObject> list(JsonObject answer) {
        return answer.getJsonArray("events").getValuesAs(JsonObject.class);
    }

    static List<String> types(List<JsonObject> events) {
        return events.stream().map(e -> e.getString("type")).toList();
    }

    static List<Long> versions(List<JsonObject> events) {
        return events.stream().map(e -> e.getJsonNumber("version").longValue()).toList();
    }

    @Test
    void everyVisibleChangeIsOneEventWithTheNextVersionAndNothingElseIs() {
        Org t = organization();
        assertEquals(0, currentVersion(t), "a new organization's feed is empty");

        long id = runner(t, "watched", 2);                       // 1 registered
        fx.heartbeat(t.write(), id, "online");                     // 2 changed: offline -> online
        fx.heartbeat(t.write(), id, "online");                     // nothing: only last_heartbeat_at
        pod(t, id, "p1", "running", 201);                        // 3 pod created
        pod(t, id, "p1", "running", 200);                        // nothing: same status
        pod(t, id, "p1", "paused", 200);                         // 4 pod changed status
        heartbeat(t, id, "{\"status\":\"online\",\"labels\":[\"gpu\"]}");   // 5 labels changed
        send("PATCH", RUNNERS + "/" + id, "application/merge-patch+json",
                java.net.http.HttpRequest.BodyPublishers.ofString("{\"schedulable\":false}"), t);  // 6
        send("PATCH", RUNNERS + "/" + id, "application/merge-patch+json",
                java.net.http.HttpRequest.BodyPublishers.ofString("{\"schedulable\":false}"), t);  // nothing
        assertEquals(204, http.delete(RUNNERS + "/" + id, t.auth()).status());            // 7 deleted
        // refused writes emit nothing
        assertEquals(404, heartbeat(t, id, "{\"status\":\"online\"}").status());

        JsonObject answer = events(t, "?since=0&wait=0");
        List<JsonObject> events = list(answer);
        assertEquals(List.of("runner.registered", "runner.changed", "pod.changed", "pod.changed", "runner.changed",
                "runner.changed", "runner.deleted"), types(events), answer::toString);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), versions(events));
        assertEquals(7, answer.getJsonNumber("version").longValue());
        for (JsonObject event : events) {
            assertEquals(EVENT_FIELDS, event.keySet(), event::toString);
            assertEquals(id, event.getJsonNumber("runner_id").longValue());
            assertTimestamp(event, "at");
        }
        JsonObject registered = events.get(0).getJsonObject("runner");
        assertEquals(RUNNER_FIELDS, registered.keySet());
        assertEquals("offline", registered.getString("status"));
        assertEquals("online", events.get(1).getJsonObject("runner").getString("status"));
        assertEquals(JsonValue.NULL, events.get(1).get("pod"));
        JsonObject created = events.get(2);
        assertEquals("running", created.getJsonObject("pod").getString("status"));
        assertEquals(1, created.getJsonObject("runner").getInt("pod_count"), "the runner as read with its new pod");
        assertEquals(POD_FIELDS, created.getJsonObject("pod").keySet());
        assertEquals("paused", events.get(3).getJsonObject("pod").getString("status"));
        assertEquals("gpu", events.get(4).getJsonObject("runner").getJsonArray("labels").getString(0));
        assertEquals(false, events.get(5).getJsonObject("runner").getBoolean("schedulable"));
        assertEquals(JsonValue.NULL, events.get(6).get("runner"));
        assertEquals(JsonValue.NULL, events.get(6).get("pod"));

        // limit pages through, and the answer's version is where to continue
        JsonObject first = events(t, "?since=0&limit=3&wait=0");
        assertEquals(List.of(1L, 2L, 3L), versions(list(first)));
        assertEquals(3, first.getJsonNumber("version").longValue());
        assertEquals(List.of(4L, 5L, 6L, 7L), versions(list(events(t, "?since=3&wait=0"))));
        // other organizations have feeds of their own
        assertEquals(0, currentVersion(organization()));
    }

    /**
     * A new pod's event holds the pod as its PUT answered it and the runner as a read finds it right
     * after (on PostgreSQL the new pod's statement stores the event's facts and the numbering pass
     * encodes them; on H2 the writer encodes it): every field, the prompt's text included.
     */
    @Test
    void aNewPodsEventHoldsThePodAsAnsweredAndTheRunnerAsRead() {
        Org t = organization();
        long id = runner(t, "counted", 3);
        heartbeat(t, id, "{\"status\":\"online\",\"labels\":[\"gpu\",\"zone-b\"],\"version\":\"2.0.1\"}");
        pod(t, id, "first", "running", 201);
        long since = currentVersion(t);
        Http.Reply put = putPod(t, id, "second", "initializing", "claude-code", "Fix the \u00e9t\u00e9 bug \ud83d\ude80 \"now\"");
        assertEquals(201, put.status(), put::toString);
        JsonObject runner = getRunner(t, id);

        List<JsonObject> events = list(events(t, "?since=" + since + "&wait=0"));
        assertEquals(1, events.size(), events::toString);
        JsonObject event = events.get(0);
        assertEquals("pod.changed", event.getString("type"));
        assertEquals(put.json().getJsonObject("pod"), event.getJsonObject("pod"));
        assertEquals(runner, event.getJsonObject("runner"));
        assertEquals(2, runner.getInt("pod_count"));
        assertEquals(put.json().getJsonObject("pod").getString("created_at"), event.getString("at"));
    }

    @Test
    void aLongPollAnswersAsSoonAsAnEventExistsAndOtherwiseAfterTheWait() throws Exception {
        Org t = organization();
        long since = currentVersion(t);
        CompletableFuture<JsonObject> waiting = CompletableFuture.supplyAsync(() -> events(t, "?since=" + since + "&wait=30"));
        Thread.sleep(300);
        long id = runner(t, "newcomer");
        JsonObject answer = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("runner.registered"), types(list(answer)));
        assertEquals(id, list(answer).get(0).getJsonNumber("runner_id").longValue());
        assertEquals(since + 1, answer.getJsonNumber("version").longValue());

        long started = System.nanoTime();
        JsonObject empty = events(t, "?since=" + (since + 1) + "&wait=1");
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(900), "waited about a second");
        assertEquals(List.of(), list(empty));
        assertEquals(since + 1, empty.getJsonNumber("version").longValue(), "nothing new: the same version");
        // without since: the current version, only what happens next
        assertEquals(since + 1, events(t, "?wait=0").getJsonNumber("version").longValue());
    }

    @Test
    void aStreamSendsEachEventAsIdEventAndDataAndResumesAfterLastEventId() throws Exception {
        Org t = organization();
        long id;
        try (EventStream stream = EventStream.open(http.base(), EVENTS, t.auth())) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            id = runner(t, "streamed");
            fx.heartbeat(t.write(), id, "online");
            fx.heartbeat(t.write(), id, "online");
            pod(t, id, "p1", "running", 201);
            List<EventStream.Frame> frames = stream.take(3, Duration.ofSeconds(5));
            assertEquals(List.of(1L, 2L, 3L), frames.stream().map(EventStream.Frame::id).toList());
            assertEquals(List.of("runner.registered", "runner.changed", "pod.changed"),
                    frames.stream().map(EventStream.Frame::event).toList());
            for (EventStream.Frame frame : frames) {
                assertEquals(frame.id(), frame.data().getJsonNumber("version").longValue());
                assertEquals(frame.event(), frame.data().getString("type"));
                assertEquals(EVENT_FIELDS, frame.data().keySet());
            }
            assertNull(stream.next(Duration.ofMillis(500)), "the repeated heartbeat emitted nothing");
            assertTrue(stream.comments() >= 1, "the stream opens with a comment line");
        }
        fx.heartbeat(t.write(), id, "offline");   // 4, while nobody listens
        try (EventStream resumed = EventStream.open(http.base(), EVENTS + "?since=0", "Last-Event-ID", "2",
                "Authorization", "Bearer " + t.write())) {
            List<EventStream.Frame> frames = resumed.take(2, Duration.ofSeconds(5));
            assertEquals(List.of(3L, 4L), frames.stream().map(EventStream.Frame::id).toList(),
                    "Last-Event-ID wins over since");
        }
        try (EventStream fromSince = EventStream.open(http.base(), EVENTS + "?since=3", t.auth())) {
            assertEquals(4L, fromSince.take(1, Duration.ofSeconds(5)).get(0).id());
        }
    }

    @Test
    void aStatusThatChangesOnlyBecauseTimePassedIsAnnouncedOnce() throws Exception {
        Org t = organization();
        long id = runner(t, "silent");
        fx.heartbeat(t.write(), id, "online");
        long since = currentVersion(t);
        clock.advance(Duration.ofSeconds(91));
        JsonObject answer = events(t, "?since=" + since + "&wait=5");
        assertEquals(List.of("runner.changed"), types(list(answer)), answer::toString);
        JsonObject runner = list(answer).get(0).getJsonObject("runner");
        assertEquals("offline", runner.getString("status"));
        assertEquals(List.of(), list(events(t, "?since=" + (since + 1) + "&wait=3")), "announced once");
        // the next heartbeat brings it back, and that is announced too
        fx.heartbeat(t.write(), id, "online");
        assertEquals("online", list(events(t, "?since=" + (since + 1) + "&wait=5")).get(0)
                .getJsonObject("runner").getString("status"));
    }

    @Test
    void parametersAreCheckedAndAVersionAboveTheCurrentOneIsRefused() {
        Org t = organization();
        runner(t, "one");
        assertProblem(poll(t, "?since=2"), 400, "INVALID_PARAMETER", List.of("since"));
        assertProblem(poll(t, "?since=-1"), 400, "INVALID_PARAMETER", List.of("since"));
        assertProblem(poll(t, "?since=x"), 400, "INVALID_PARAMETER", List.of("since"));
        assertProblem(poll(t, "?since=0&since=1"), 400, "INVALID_PARAMETER", List.of("since"));
        assertProblem(poll(t, "?wait=61"), 400, "INVALID_PARAMETER", List.of("wait"));
        assertProblem(poll(t, "?limit=0"), 400, "INVALID_PARAMETER", List.of("limit"));
        assertProblem(poll(t, "?limit=1001"), 400, "INVALID_PARAMETER", List.of("limit"));
        assertProblem(poll(t, "?from=1"), 400, "UNKNOWN_PARAMETER", List.of("from"));
        try (EventStream stream = EventStream.open(http.base(), EVENTS + "?wait=5", t.auth())) {
            assertProblem(stream.refusal(), 400, "INVALID_PARAMETER", List.of("wait"));
        }
        try (EventStream stream = EventStream.open(http.base(), EVENTS, "Last-Event-ID", "7",
                "Authorization", "Bearer " + t.write())) {
            assertProblem(stream.refusal(), 400, "INVALID_PARAMETER", List.of("Last-Event-ID"));
        }
        assertProblem(http.get(EVENTS), 401, "AUTH_REQUIRED");
        // a read key follows the feed too
        String readKey = fx.key(t.slug(), READ);
        assertEquals(200, http.get(EVENTS + "?since=0&wait=0", "Authorization", "Bearer " + readKey).status());
    }

    @Test
    void eventsOlderThanTheRetentionAreGoneWith410() {
        Org t = organization();
        long id = runner(t, "old");
        fx.heartbeat(t.write(), id, "online");
        clock.advance(Duration.ofHours(25));
        assertProblem(poll(t, "?since=0&wait=0"), 410, "EVENTS_EXPIRED", List.of("since"));
        assertProblem(poll(t, "?since=1&wait=0"), 410, "EVENTS_EXPIRED", List.of("since"));
        try (EventStream stream = EventStream.open(http.base(), EVENTS + "?since=0", t.auth())) {
            assertProblem(stream.refusal(), 410, "EVENTS_EXPIRED", List.of("since"));
        }
        // from the current version on, nothing is missing (the timeout sweep may announce the runner meanwhile)
        assertEquals(200, poll(t, "?since=2&wait=0").status());
        long fresh = runner(t, "fresh");
        List<JsonObject> after = list(events(t, "?since=2&wait=0"));
        assertEquals(3L, versions(after).get(0));
        // the timeout sweep's announcement of the old runner may come before or after it
        assertTrue(after.stream().anyMatch(e -> e.getString("type").equals("runner.registered")
                && e.getJsonNumber("runner_id").longValue() == fresh), after.toString());
    }

    @Test
    void aKeyHoldsAtMostTenStreamsOrWaitingPolls() throws Exception {
        Org t = organization();
        List<EventStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                EventStream stream = EventStream.open(http.base(), EVENTS, t.auth());
                streams.add(stream);
                assertEquals(200, stream.status());
            }
            try (EventStream eleventh = EventStream.open(http.base(), EVENTS, t.auth())) {
                Http.Reply refused = eleventh.refusal();
                assertProblem(refused, 429, "RATE_LIMITED");
                assertTrue(refused.header("Retry-After").isPresent(), refused::toString);
            }
            Http.Reply poll = poll(t, "?wait=5");
            assertProblem(poll, 429, "RATE_LIMITED");
            // a poll that need not wait is not held against the cap; another key of the organization has its own
            assertEquals(200, poll(t, "?wait=0").status());
            String other = fx.key(t.slug(), READ);
            assertEquals(200, http.get(EVENTS + "?wait=1", "Authorization", "Bearer " + other).status());

            // a client that leaves gives its place back at once, not at the stream's next keep-alive (10 s)
            streams.remove(0).close();
            long closed = System.nanoTime();
            EventStream replacement = openWithin(t, Duration.ofSeconds(2));
            streams.add(replacement);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
            assertEquals(200, replacement.status(), () -> "still refused " + millis + " ms after a stream was closed");
            try (EventStream eleventh = EventStream.open(http.base(), EVENTS, t.auth())) {
                assertProblem(eleventh.refusal(), 429, "RATE_LIMITED");
            }
        } finally {
            streams.forEach(EventStream::close);
        }
    }

    @Test
    void aWaitingLongPollWhoseClientLeftGivesItsPlaceBackAtOnce() throws Exception {
        Org t = organization();
        String request = "GET " + EVENTS + "?wait=60 HTTP/1.1\r\nHost: test\r\nAccept: application/json\r\n"
                + String.join(": ", t.auth()) + "\r\n\r\n";
        List<RawConnection> polls = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                polls.add(waitingPoll(request));
            }
            // the ten wait; one that reached the server while a probe held a place was refused: it is sent again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Http.Reply refused;
            do {
                for (int i = 0; i < polls.size(); i++) {
                    if (answered(polls.get(i))) {
                        polls.get(i).close();
                        polls.set(i, waitingPoll(request));
                    }
                }
                refused = poll(t, "?wait=1");
            } while (refused.status() != 429 && System.nanoTime() < deadline);
            assertProblem(refused, 429, "RATE_LIMITED");

            // a client that leaves gives its place back at once, not when its wait (60 s) ends
            polls.remove(0).close();
            long closed = System.nanoTime();
            Http.Reply replacement = pollWithin(t, Duration.ofSeconds(2), 200);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
            assertEquals(200, replacement.status(), () -> "still refused " + millis + " ms after a poll's client left");

            // a poll that waited is answered with Connection: close, and the connection is closed after it
            RawConnection waited = RawConnection.open(http.base());
            polls.add(waited);
            waited.send(request.replace("wait=60", "wait=1"));
            String answer = waited.readResponse(Duration.ofSeconds(15));
            assertTrue(answer != null && answer.startsWith("HTTP/1.1 200 ")
                    && answer.toLowerCase().contains("\r\nconnection: close\r\n"), String.valueOf(answer));
            assertTrue(waited.closedByServer(Duration.ofSeconds(10)), "the connection after a poll that waited");
        } finally {
            for (RawConnection poll : polls) {
                poll.close();
            }
        }
    }

    private RawConnection waitingPoll(String request) throws java.io.IOException {
        RawConnection poll = RawConnection.open(http.base());
        poll.send(request);
        return poll;
    }

    /** Whether {@code poll} has been answered (or closed) already, rather than waiting. */
    private static boolean answered(RawConnection poll) {
        try {
            poll.readResponse(Duration.ofMillis(1));
            return true;
        } catch (java.io.IOException waiting) {
            return false;
        }
    }

    /** A poll with {@code wait=1} of the key, repeated until it answers {@code status} or {@code limit} passed. */
    private Http.Reply pollWithin(Org t, Duration limit, int status) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Http.Reply reply = poll(t, "?wait=1");
            if (reply.status() == status || System.nanoTime() > deadline) {
                return reply;
            }
            Thread.sleep(50);
        }
    }

    /** A stream of the key, opened again while refused until {@code limit} passed; the last attempt is returned. */
    private EventStream openWithin(Org t, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            EventStream stream = EventStream.open(http.base(), EVENTS, t.auth());
            if (stream.status() == 200 || System.nanoTime() > deadline) {
                return stream;
            }
            assertProblem(stream.refusal(), 429, "RATE_LIMITED");
            stream.close();
            Thread.sleep(50);
        }
    }
}
