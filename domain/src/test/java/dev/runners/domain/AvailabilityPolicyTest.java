package dev.runners.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvailabilityPolicyTest {
    private static final Instant NOW = Instant.parse("2025-01-15T14:30:00Z");
    private static final Duration T = Duration.ofSeconds(90);
    private final AvailabilityPolicy policy = new AvailabilityPolicy(Clock.fixed(NOW, ZoneOffset.UTC), T);

    private RunnerStatus status(ReportedState reported, Instant lastHeartbeat, int podCount, int maxPods) {
        return policy.statusAt(policy.now(), reported, lastHeartbeat, podCount, maxPods);
    }

    @Test
    void offlineBeforeTheFirstHeartbeat() {
        assertEquals(RunnerStatus.OFFLINE, status(ReportedState.ONLINE, null, 0, 10));
        assertEquals(RunnerStatus.OFFLINE, status(ReportedState.OFFLINE, null, 0, 10));
    }

    @Test
    void offlineWhenTheAgentSaidSo() {
        assertEquals(RunnerStatus.OFFLINE, status(ReportedState.OFFLINE, NOW, 0, 10));
    }

    @Test
    void heartbeatExactlyTOldIsStillOnline() {
        assertEquals(RunnerStatus.ONLINE, status(ReportedState.ONLINE, NOW.minus(T), 0, 10));
    }

    @Test
    void heartbeatOneMillisecondOlderThanTIsOffline() {
        assertEquals(RunnerStatus.OFFLINE, status(ReportedState.ONLINE, NOW.minus(T).minusMillis(1), 0, 10));
    }

    @Test
    void busyWhenEverySlotIsTaken() {
        assertEquals(RunnerStatus.BUSY, status(ReportedState.ONLINE, NOW, 10, 10));
        assertEquals(RunnerStatus.BUSY, status(ReportedState.ONLINE, NOW, 11, 10));
    }

    @Test
    void onlineWithAFreeSlot() {
        assertEquals(RunnerStatus.ONLINE, status(ReportedState.ONLINE, NOW, 9, 10));
    }

    @Test
    void offlineWinsOverBusy() {
        assertEquals(RunnerStatus.OFFLINE, status(ReportedState.OFFLINE, NOW, 10, 10));
        assertEquals(RunnerStatus.OFFLINE, status(ReportedState.ONLINE, NOW.minusSeconds(91), 10, 10));
    }

    @Test
    void availableExactlyWhenOnline() {
        Runner online = runner(ReportedState.ONLINE, NOW, 0, 1);
        Runner busy = runner(ReportedState.ONLINE, NOW, 1, 1);
        assertTrue(policy.isAvailable(NOW, online));
        assertFalse(policy.isAvailable(NOW, busy));
    }

    @Test
    void anUnschedulableRunnerKeepsItsStatusButIsNotAvailable() {
        Runner cordoned = runner(ReportedState.ONLINE, NOW, 0, 1).withSchedulable(false);
        assertEquals(RunnerStatus.ONLINE, policy.statusAt(NOW, cordoned));
        assertFalse(policy.isAvailable(NOW, cordoned));
        assertTrue(policy.isAvailable(NOW, cordoned.withSchedulable(true)));
    }

    @Test
    void cutoffIsNowMinusTimeout() {
        assertEquals(NOW.minus(T), policy.heartbeatCutoff(NOW));
    }

    @Test
    void nowIsTruncatedToMicroseconds() {
        Instant precise = Instant.parse("2025-01-15T14:30:00.123456789Z");
        var p = new AvailabilityPolicy(Clock.fixed(precise, ZoneOffset.UTC), T);
        assertEquals(Instant.parse("2025-01-15T14:30:00.123456Z"), p.now());
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThrows(IllegalArgumentException.class,
                () -> new AvailabilityPolicy(Clock.systemUTC(), Duration.ZERO));
    }

    private static Runner runner(ReportedState state, Instant heartbeat, int pods, int max) {
        return new Runner(1, "r", state, "1", "linux", "amd64", LabelSet.empty(), pods, max, true, heartbeat, NOW);
    }
}
