package dev.runners.domain;

import java.util.Locale;
import java.util.Optional;

/** What a runner agent last said about itself in a heartbeat. */
public enum ReportedState {
    ONLINE, OFFLINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportedState> fromWire(String value) {
        for (ReportedState state : values()) {
            if (state.wireName().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
