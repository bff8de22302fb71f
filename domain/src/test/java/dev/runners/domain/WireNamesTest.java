package dev.runners.domain;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WireNamesTest {

    @Test
    void everyConstantIsReadBackFromItsLowerCaseName() {
        for (PodStatus status : PodStatus.values()) {
            assertEquals(Optional.of(status), PodStatus.fromWire(status.name().toLowerCase()));
        }
        for (RunnerStatus status : RunnerStatus.values()) {
            assertEquals(Optional.of(status), RunnerStatus.fromWire(status.name().toLowerCase()));
        }
        for (ReportedState state : ReportedState.values()) {
            assertEquals(Optional.of(state), ReportedState.fromWire(state.name().toLowerCase()));
        }
    }

    @Test
    void anyOtherSpellingIsNoConstant() {
        assertEquals(Optional.empty(), PodStatus.fromWire("RUNNING"));
        assertEquals(Optional.empty(), PodStatus.fromWire("running "));
        assertEquals(Optional.empty(), PodStatus.fromWire(""));
        assertEquals(Optional.empty(), PodStatus.fromWire(null));
        // one enumeration's name is not another's
        assertEquals(Optional.empty(), ReportedState.fromWire("busy"));
    }
}
