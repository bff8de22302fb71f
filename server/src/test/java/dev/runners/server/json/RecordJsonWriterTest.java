package dev.runners.server.json;

import java.time.Instant;
import java.util.List;

import dev.runners.api.PodEnvelope;
import dev.runners.api.PodPage;
import dev.runners.api.PodView;
import dev.runners.api.RunnerEnvelope;
import dev.runners.api.RunnerList;
import dev.runners.api.RunnerView;
import jakarta.json.bind.Jsonb;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written writer sends exactly what JSON-B sends for the same records. */
class RecordJsonWriterTest {
    private static final Jsonb JSONB = new JsonbConfiguration().getContext(Object.class);
    private static final String HOSTILE = "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 "
            + "unit \u001f del \u007f é ß 中文 emoji 😀 end";

    private static final RunnerView ONLINE = new RunnerView(7L, "runner-7", "online", "1.2.0", "linux", "amd64",
            List.of("gpu", "high-memory"), 3, 10, true, Instant.parse("2026-01-02T03:04:05.123456Z"),
            Instant.parse("2026-01-01T00:00:00Z"));
    private static final RunnerView NEVER_SEEN = new RunnerView(Long.MAX_VALUE, HOSTILE, "offline", HOSTILE, "os", "arch",
            List.of(), 0, 1000, false, null, Instant.parse("2026-01-01T00:00:00.100Z"));
    private static final PodView POD = new PodView("pod-1", "running", "claude-code", HOSTILE,
            Instant.parse("2026-01-01T00:00:00.000001Z"));
    private static final PodView WITHOUT_PROMPT = new PodView("pod-2", "completed", "claude-code", null,
            Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aListOfRunnersIsWrittenAsJsonBWritesIt() {
        same(new RunnerList(List.of(ONLINE, NEVER_SEEN), 2, 100, 0));
        same(new RunnerList(List.of(), 0, 10, 20));
    }

    @Test
    void aRunnerIsWrittenAsJsonBWritesIt() {
        same(new RunnerEnvelope(ONLINE));
        same(new RunnerEnvelope(NEVER_SEEN));
    }

    @Test
    void podsAreWrittenAsJsonBWritesThem() {
        same(new PodPage(List.of(POD, WITHOUT_PROMPT), 2, 50, 0));
        same(new PodEnvelope(WITHOUT_PROMPT));
        same(new PodEnvelope(POD));
    }

    private static void same(Object body) {
        assertEquals(JSONB.toJson(body), RecordJsonWriter.toJson(body));
    }
}
