package dev.runners.domain;

import java.time.Instant;

/** A runner as stored; its visible status is derived by {@link AvailabilityPolicy}. */
public record Runner(long id,
                     String name,
                     ReportedState reportedState,
                     String version,
                     String os,
                     String arch,
                     LabelSet labels,
                     int podCount,
                     int maxPods,
                     Instant lastHeartbeatAt,
                     Instant createdAt) {
}
