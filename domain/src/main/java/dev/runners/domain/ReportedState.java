package dev.runners.domain;

import java.util.Optional;

/** What a runner agent last said about itself in a heartbeat. */
public enum ReportedState {
    ONLINE, OFFLINE;

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<ReportedState> fromWire(String value) {
        return WireNames.parse(ReportedState.class, value);
    }
}
