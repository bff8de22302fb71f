package dev.runners.domain;

import java.util.Optional;

/** The status a reader sees, computed at read time by {@link AvailabilityPolicy}. */
public enum RunnerStatus {
    ONLINE, BUSY, OFFLINE;

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<RunnerStatus> fromWire(String value) {
        return WireNames.parse(RunnerStatus.class, value);
    }
}
