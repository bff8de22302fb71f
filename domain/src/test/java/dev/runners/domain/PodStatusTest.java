package dev.runners.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodStatusTest {

    @Test
    void activeAndTerminalStatuses() {
        for (PodStatus s : new PodStatus[] {PodStatus.INITIALIZING, PodStatus.RUNNING, PodStatus.PAUSED,
                PodStatus.DISCONNECTED}) {
            assertTrue(s.isActive(), s.name());
        }
        for (PodStatus s : new PodStatus[] {PodStatus.COMPLETED, PodStatus.TERMINATED, PodStatus.ERROR,
                PodStatus.ORPHANED}) {
            assertTrue(s.isTerminal(), s.name());
        }
    }

    @Test
    void activePodsMoveAnywhere() {
        for (PodStatus next : PodStatus.values()) {
            assertTrue(PodStatus.PAUSED.canMoveTo(next));
        }
    }

    @Test
    void terminalPodsOnlyRepeatTheirStatus() {
        for (PodStatus terminal : PodStatus.values()) {
            if (!terminal.isTerminal()) {
                continue;
            }
            for (PodStatus next : PodStatus.values()) {
                assertEquals(next == terminal, terminal.canMoveTo(next), terminal + " -> " + next);
            }
        }
    }

    @Test
    void wireNames() {
        assertEquals(PodStatus.DISCONNECTED, PodStatus.fromWire("disconnected").orElseThrow());
        assertFalse(PodStatus.fromWire("Running").isPresent());
    }
}
