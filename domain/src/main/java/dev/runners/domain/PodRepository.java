package dev.runners.domain;

import java.time.Instant;
import java.util.Optional;

/** Pods of a runner. Every method is confined to {@code organizationId}. */
public interface PodRepository {

    /** Pods newest first, ties by key; empty when the runner does not exist in the organization. */
    Optional<Page<Pod>> page(long organizationId, long runnerId, PodFilter filter, PageRequest page);

    /**
     * Creates or updates a pod and keeps the runner's {@code pod_count} exact.
     *
     * @throws UnknownResourceException when there is no such runner
     * @throws ConflictException POD_KEY_TAKEN, IMMUTABLE_FIELD or INVALID_TRANSITION
     */
    PodReport report(long organizationId, long runnerId, String key, PodUpdate update, Instant now);

    /** The outcome of a report: the pod as stored, whether it was created, and whether it changed. */
    record PodReport(Pod pod, boolean created, boolean changed) {
    }
}
