package dev.runners.domain;

import java.util.Optional;

/** Lifecycle of a pod. Active pods occupy a slot on their runner; terminal ones never move again. */
public enum PodStatus {
    INITIALIZING(true), RUNNING(true), PAUSED(true), DISCONNECTED(true),
    COMPLETED(false), TERMINATED(false), ERROR(false), ORPHANED(false);

    private final boolean active;

    PodStatus(boolean active) {
        this.active = active;
    }

    public boolean isActive() {
        return active;
    }

    public boolean isTerminal() {
        return !active;
    }

    /** A terminal pod may only be reported again with its own status (an idempotent repeat). */
    public boolean canMoveTo(PodStatus next) {
        return active || next == this;
    }

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<PodStatus> fromWire(String value) {
        return WireNames.parse(PodStatus.class, value);
    }
}
