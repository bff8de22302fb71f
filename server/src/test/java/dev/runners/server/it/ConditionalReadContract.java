package dev.runners.server.it;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.runners.server.support.Http;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads 1-4 and the long poll of 13 carry a weak ETag; a matching If-None-Match gets 304 without a body or a length. */
abstract class ConditionalReadContract extends ApiContract {

    private String tag(Http.Reply reply) {
        assertEquals(200, reply.status(), reply::toString);
        String tag = reply.header("ETag").orElseThrow(() -> new AssertionError("no ETag: " + reply));
        assertTrue(tag.matches("W/\"[A-Za-z0-9_-]+\""), tag);
        return tag;
    }

    private Http.Reply conditional(String path, String key, String ifNoneMatch) {
        return http.get(path, "Authorization", "Bearer " + key, "If-None-Match", ifNoneMatch);
    }

    private void assertNotModified(String path, String key, String ifNoneMatch, String tag) {
        Http.Reply reply = conditional(path, key, ifNoneMatch);
        assertEquals(304, reply.status(), reply::toString);
        assertEquals("", reply.body(), "a 304 has no body");
        // RFC 9110 8.6: no length but the 200's; the web server refuses that on a 304, so none
        assertEquals(Optional.empty(), reply.header("Content-Length"), reply::toString);
        assertEquals(tag, reply.header("ETag").orElse(""), reply::toString);
    }

    @Test
    void everyReadIsTaggedAndAnUnchangedOneIs304() {
        Org org = organization();
        long id = onlineRunner(org.write(), "tagged", List.of("gpu"), 4);
        pod(org.write(), id, "p1", "running");
        for (String path : List.of(RUNNERS, RUNNERS + "?label=gpu", RUNNERS + "/available", RUNNERS + "/" + id,
                RUNNERS + "/" + id + "/pods", RUNNERS + "/events?since=0&wait=0")) {
            String tag = tag(get(path, org.read()));
            assertEquals(tag, tag(get(path, org.read())), "the same body, the same tag: " + path);
            assertNotModified(path, org.read(), tag, tag);
            assertNotModified(path, org.read(), "W/\"other\", " + tag, tag);
            assertNotModified(path, org.read(), "*", tag);
            assertNotModified(path, org.read(), tag.substring(2), tag);   // weak comparison
            assertEquals(200, conditional(path, org.read(), "W/\"other\"").status(), path);
        }
    }

    @Test
    void theTagChangesWhenTheBodyWouldAStatusThatChangedWithTimeIncluded() {
        Org org = organization();
        long id = onlineRunner(org.write(), "aging", List.of(), 4);
        String one = RUNNERS + "/" + id;
        String before = tag(get(one, org.read()));
        String listBefore = tag(get(RUNNERS, org.read()));
        String availableBefore = tag(get(RUNNERS + "/available", org.read()));

        // nothing stored changes: only the clock moves past the heartbeat timeout
        clock.advance(Duration.ofSeconds(91));
        Http.Reply later = conditional(one, org.read(), before);
        assertEquals(200, later.status(), later::toString);
        assertEquals("offline", later.json().getJsonObject("runner").getString("status"));
        assertNotEquals(before, tag(later));
        assertEquals(200, conditional(RUNNERS, org.read(), listBefore).status());
        assertEquals(200, conditional(RUNNERS + "/available", org.read(), availableBefore).status());

        // a write changes it too
        String offline = tag(get(one, org.read()));
        fx.heartbeat(org.write(), id, "online");
        assertEquals(200, conditional(one, org.read(), offline).status());
        String pods = tag(get(one + "/pods", org.read()));
        pod(org.write(), id, "p1", "running");
        assertEquals(200, conditional(one + "/pods", org.read(), pods).status());
    }

    @Test
    void writesAndErrorsCarryNoTag() {
        Org org = organization();
        long id = fx.runner(org.write(), "plain", List.of(), 1);
        Http.Reply beat = http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}",
                "Authorization", "Bearer " + org.write(), "If-None-Match", "*");
        assertEquals(200, beat.status(), beat::toString);
        assertTrue(beat.header("ETag").isEmpty(), beat::toString);
        Http.Reply missing = conditional(RUNNERS + "/999999", org.read(), "*");
        assertEquals(404, missing.status());
        assertTrue(missing.header("ETag").isEmpty(), missing::toString);
    }
}
