package dev.runners.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatTest {
    private static final Instant NOW = Instant.parse("2025-01-15T14:30:00Z");
    private static final Duration T = Duration.ofSeconds(90);
    private static final Instant CREATED = NOW.minusSeconds(3600);
    private final AvailabilityPolicy policy = new AvailabilityPolicy(Clock.fixed(NOW, ZoneOffset.UTC), T);
    private final LabelSet gpu = LabelSet.fromStored("gpu");

    private Runner stored(ReportedState state, Instant lastHeartbeat, int podCount, int maxPods) {
        return new Runner(1, "runner-1", state, "1.0.0", "linux", "amd64", gpu, podCount, maxPods, true,
                lastHeartbeat, CREATED);
    }

    private static Heartbeat online() {
        return new Heartbeat(ReportedState.ONLINE, null, null, null, null, null);
    }

    @Test
    void aNullFieldKeepsTheStoredValue() {
        Runner stored = stored(ReportedState.ONLINE, NOW.minusSeconds(10), 2, 10);
        Runner merged = online().mergeInto(stored, NOW);
        assertEquals(new Runner(1, "runner-1", ReportedState.ONLINE, "1.0.0", "linux", "amd64", gpu, 2, 10, true,
                NOW, CREATED), merged);
    }

    @Test
    void sentFieldsReplaceTheStoredOnesButNeverNameCountsOrSchedulable() {
        Runner stored = stored(ReportedState.ONLINE, NOW.minusSeconds(10), 2, 10).withSchedulable(false);
        Heartbeat heartbeat = new Heartbeat(ReportedState.OFFLINE, "2.0.0", "darwin", "arm64", LabelSet.empty(), 4);
        assertEquals(new Runner(1, "runner-1", ReportedState.OFFLINE, "2.0.0", "darwin", "arm64", LabelSet.empty(),
                2, 4, false, NOW, CREATED), heartbeat.mergeInto(stored, NOW));
    }

    @Test
    void aFreshHeartbeatThatRepeatsTheStoredValuesChangesNothingVisible() {
        Runner stored = stored(ReportedState.ONLINE, NOW.minusSeconds(10), 2, 10);
        assertFalse(online().changesVisibly(policy, NOW, stored));
        assertFalse(new Heartbeat(ReportedState.ONLINE, "1.0.0", "linux", "amd64", gpu, 10)
                .changesVisibly(policy, NOW, stored));
        assertTrue(online().quiet(policy, NOW).admits(stored));
    }

    @Test
    void aHeartbeatThatBringsARunnerBackChangesItsStatus() {
        Runner timedOut = stored(ReportedState.ONLINE, NOW.minus(T).minusNanos(1000), 2, 10);
        assertTrue(online().changesVisibly(policy, NOW, timedOut));
        assertFalse(online().quiet(policy, NOW).admits(timedOut));
        Runner atTheTimeout = stored(ReportedState.ONLINE, NOW.minus(T), 2, 10);
        assertFalse(online().changesVisibly(policy, NOW, atTheTimeout));
        assertTrue(online().quiet(policy, NOW).admits(atTheTimeout));
        Runner never = stored(ReportedState.OFFLINE, null, 0, 10);
        assertTrue(online().changesVisibly(policy, NOW, never));
        assertFalse(online().quiet(policy, NOW).admits(never));
    }

    @Test
    void aChangedFieldOrStateIsVisible() {
        Runner stored = stored(ReportedState.ONLINE, NOW.minusSeconds(10), 2, 10);
        for (Heartbeat heartbeat : List.of(
                new Heartbeat(ReportedState.OFFLINE, null, null, null, null, null),
                new Heartbeat(ReportedState.ONLINE, "1.0.1", null, null, null, null),
                new Heartbeat(ReportedState.ONLINE, null, "darwin", null, null, null),
                new Heartbeat(ReportedState.ONLINE, null, null, "arm64", null, null),
                new Heartbeat(ReportedState.ONLINE, null, null, null, LabelSet.empty(), null),
                new Heartbeat(ReportedState.ONLINE, null, null, null, null, 2))) {
            assertTrue(heartbeat.changesVisibly(policy, NOW, stored), heartbeat.toString());
            assertFalse(heartbeat.quiet(policy, NOW).admits(stored), heartbeat.toString());
        }
    }

    /** The one-statement path is only ever taken where the merge would emit nothing. */
    @Test
    void whatTheQuietConditionAdmitsNeverChangesVisibly() {
        List<Runner> storedRunners = new ArrayList<>();
        List<Heartbeat> heartbeats = new ArrayList<>();
        for (ReportedState state : ReportedState.values()) {
            for (Instant last : new Instant[] {null, NOW.minus(T).minusNanos(1000), NOW.minus(T), NOW.minusSeconds(1),
                    NOW, NOW.plusSeconds(5)}) {
                for (int[] pods : new int[][] {{0, 10}, {9, 10}, {10, 10}, {3, 3}}) {
                    storedRunners.add(stored(state, last, pods[0], pods[1]));
                }
            }
            for (String version : new String[] {null, "1.0.0", "2.0.0"}) {
                for (LabelSet labels : new LabelSet[] {null, gpu, LabelSet.empty()}) {
                    for (Integer maxPods : new Integer[] {null, 3, 10, 11}) {
                        heartbeats.add(new Heartbeat(state, version, null, null, labels, maxPods));
                    }
                }
            }
        }
        int admitted = 0;
        for (Runner stored : storedRunners) {
            for (Heartbeat heartbeat : heartbeats) {
                if (heartbeat.quiet(policy, NOW).admits(stored)) {
                    admitted++;
                    assertFalse(heartbeat.changesVisibly(policy, NOW, stored), heartbeat + " on " + stored);
                }
            }
        }
        assertTrue(admitted > 0);
    }
}
