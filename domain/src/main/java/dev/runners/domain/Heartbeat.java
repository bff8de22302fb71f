package dev.runners.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A validated heartbeat, and the heartbeat merge rule: a null field keeps the stored value, the
 * reported state and the time of the heartbeat always replace the stored ones. A heartbeat emits
 * an event exactly when the merge changes something a reader sees ({@link Change#visible}).
 */
public record Heartbeat(ReportedState state, String version, String os, String arch, LabelSet labels, Integer maxPods) {
    public Heartbeat {
        Objects.requireNonNull(state);
    }

    /** The runner as it is after this heartbeat, received at {@code now}. */
    public Runner mergeInto(Runner stored, Instant now) {
        return new Runner(stored.id(), stored.name(), state,
                version == null ? stored.version() : version,
                os == null ? stored.os() : os,
                arch == null ? stored.arch() : arch,
                labels == null ? stored.labels() : labels,
                stored.podCount(),
                maxPods == null ? stored.maxPods() : maxPods,
                stored.schedulable(), now, stored.createdAt());
    }

    /** Whether this heartbeat, received at {@code now}, changes what a reader sees of {@code stored}. */
    public boolean changesVisibly(AvailabilityPolicy policy, Instant now, Runner stored) {
        return Change.visible(policy, now, stored, mergeInto(stored, now));
    }

    /**
     * What a stored runner must be for this heartbeat, received at {@code now}, to change nothing a
     * reader sees: the same reported state, every field the heartbeat sends equal to the stored
     * one, and a stored heartbeat no older than the timeout (so the status stays what it was).
     * A sufficient condition, not a necessary one: a runner it does not admit goes through
     * {@link #changesVisibly}. The store applies such a heartbeat in one conditional statement.
     */
    public Quiet quiet(AvailabilityPolicy policy, Instant now) {
        return new Quiet(state, version, os, arch, labels, maxPods, policy.heartbeatCutoff(now));
    }

    /** See {@link #quiet}; a null field admits any stored value. */
    public record Quiet(ReportedState state, String version, String os, String arch, LabelSet labels,
                        Integer maxPods, Instant heartbeatNotBefore) {
        public boolean admits(Runner stored) {
            return stored.reportedState() == state
                    && stored.lastHeartbeatAt() != null && !stored.lastHeartbeatAt().isBefore(heartbeatNotBefore)
                    && (version == null || version.equals(stored.version()))
                    && (os == null || os.equals(stored.os()))
                    && (arch == null || arch.equals(stored.arch()))
                    && (labels == null || labels.equals(stored.labels()))
                    && (maxPods == null || maxPods == stored.maxPods());
        }
    }
}
