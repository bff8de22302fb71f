package dev.runners.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a runner of an organization, before it is given its version: the
 * runner as it is after the change (null when deleted) and, for pod changes, the pod.
 */
public record Change(ChangeType type, long runnerId, Runner runner, Pod pod, Instant at) {
    public Change {
        Objects.requireNonNull(type);
        Objects.requireNonNull(at);
    }

    public static Change registered(Runner runner, Instant at) {
        return new Change(ChangeType.RUNNER_REGISTERED, runner.id(), runner, null, at);
    }

    public static Change changed(Runner runner, Instant at) {
        return new Change(ChangeType.RUNNER_CHANGED, runner.id(), runner, null, at);
    }

    public static Change deleted(long runnerId, Instant at) {
        return new Change(ChangeType.RUNNER_DELETED, runnerId, null, null, at);
    }

    public static Change podChanged(Runner runner, Pod pod, Instant at) {
        return new Change(ChangeType.POD_CHANGED, runner.id(), runner, pod, at);
    }

    /**
     * Whether a reader sees a difference between {@code before} and {@code after} at {@code now}:
     * any field of the runner, its status included, but the time of its last heartbeat.
     */
    public static boolean visible(AvailabilityPolicy policy, Instant now, Runner before, Runner after) {
        return policy.statusAt(now, before) != policy.statusAt(now, after)
                || !before.name().equals(after.name())
                || !before.version().equals(after.version())
                || !before.os().equals(after.os())
                || !before.arch().equals(after.arch())
                || !before.labels().equals(after.labels())
                || before.podCount() != after.podCount()
                || before.maxPods() != after.maxPods()
                || before.schedulable() != after.schedulable();
    }
}
