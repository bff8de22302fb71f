package dev.runners.domain;

import java.util.Optional;

/** What an event of the change feed announces (SPEC endpoint 13). */
public enum ChangeType {
    RUNNER_REGISTERED("runner.registered"),
    /** Any field of the runner but {@code last_heartbeat_at} changed, its status through time passing too. */
    RUNNER_CHANGED("runner.changed"),
    RUNNER_DELETED("runner.deleted"),
    /** A pod was created or changed status. */
    POD_CHANGED("pod.changed");

    private final String wireName;

    ChangeType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ChangeType> fromWire(String value) {
        for (ChangeType type : values()) {
            if (type.wireName.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
