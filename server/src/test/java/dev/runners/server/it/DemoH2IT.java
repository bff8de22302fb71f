package dev.runners.server.it;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import io.helidon.microprofile.testing.junit5.AddConfig;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's demo walk: RUNNERS_DEMO=true on an empty embedded database. */
@OnEmbeddedDatabase
@AddConfig(key = "runners.demo", value = "true")
class DemoH2IT {
    /** The read key the README shows. */
    private static final String[] README_KEY = {"Authorization", "Bearer rk_demoReadOnlyKeyForTheRunnersApiDemo"};

    @Inject
    WebTarget target;

    @Test
    void showsAvailableBusyAndOfflineRunnersWithTheReadmeKey() {
        Http http = new Http(target.getUri());
        Http.Reply available = http.get("/api/v1/runners/available", README_KEY);
        assertEquals(200, available.status(), available::toString);
        assertFalse(available.json().getJsonArray("runners").isEmpty(), "the demo has available runners");

        Http.Reply all = http.get("/api/v1/runners", README_KEY);
        Set<String> statuses = all.json().getJsonArray("runners").getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("status"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("online", "busy", "offline"), statuses);

        Http.Reply busyOrOffline = http.get("/api/v1/runners?status=busy&status=offline", README_KEY);
        assertEquals(200, busyOrOffline.status(), busyOrOffline::toString);
        assertTrue(busyOrOffline.json().getInt("total") >= 2);

        long runnerWithPods = all.json().getJsonArray("runners").getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getInt("pod_count") > 0)
                .findFirst().orElseThrow().getJsonNumber("id").longValue();
        Http.Reply pods = http.get("/api/v1/runners/" + runnerWithPods + "/pods", README_KEY);
        assertTrue(pods.json().getInt("total") > 0, pods::toString);
    }

    @Test
    void theDemoFeedShowsARunnerFillingUp() {
        Http http = new Http(target.getUri());
        boolean busy = false;
        long since = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!busy && System.nanoTime() < deadline) {
            JsonObject answer = http.get("/api/v1/runners/events?wait=2&since=" + since, README_KEY).json();
            busy = answer.getJsonArray("events").getValuesAs(JsonObject.class).stream()
                    .filter(e -> e.getString("type").equals("pod.changed"))
                    .map(e -> e.getJsonObject("runner"))
                    .anyMatch(r -> r.getString("name").equals("dev-runner-02") && r.getString("status").equals("busy"));
            since = answer.getJsonNumber("version").longValue();
        }
        assertTrue(busy, "the demo's dev-runner-02 fills up (and empties again 20 s later)");
    }

    @Test
    void theDemoKeyOnlyReads() {
        Http http = new Http(target.getUri());
        Http.Reply write = http.post("/api/v1/runners",
                "{\"name\":\"intruder\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}", README_KEY);
        assertEquals(403, write.status(), write::toString);
        assertEquals("INSUFFICIENT_SCOPE", write.code());
        assertEquals(List.of(), write.errorNames());
    }
}
