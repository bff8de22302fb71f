package dev.runners.domain;

import java.util.Locale;
import java.util.Optional;

/** The status a reader sees, computed at read time by {@link AvailabilityPolicy}. */
public enum RunnerStatus {
    ONLINE, BUSY, OFFLINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RunnerStatus> fromWire(String value) {
        for (RunnerStatus status : values()) {
            if (status.wireName().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
