package dev.runners.domain;

import java.time.Instant;

/**
 * A runner as stored; its visible status is derived by {@link AvailabilityPolicy}. An unschedulable
 * (cordoned) runner keeps its status and pods but is not offered for new pods.
 */
public record Runner(long id,
                     String name,
                     ReportedState reportedState,
                     String version,
                     String os,
                     String arch,
                     LabelSet labels,
                     int podCount,
                     int maxPods,
                     boolean schedulable,
                     Instant lastHeartbeatAt,
                     Instant createdAt) {

    public Runner withSchedulable(boolean value) {
        return new Runner(id, name, reportedState, version, os, arch, labels, podCount, maxPods, value,
                lastHeartbeatAt, createdAt);
    }
}
