package dev.runners.domain;

import java.time.Instant;
import java.util.Optional;

/** Runners of an organization. Every method is confined to {@code organizationId}. */
public interface RunnerRepository {

    /** Runners matching {@code filter}, by id; statuses are judged as of {@code now}. */
    Page<Runner> page(long organizationId, RunnerFilter filter, PageRequest page, Instant now);

    /** Available runners carrying every label, most free slots first, then by id. */
    Page<Runner> availablePage(long organizationId, LabelSet labels, PageRequest page, Instant now);

    Optional<Runner> find(long organizationId, long runnerId);

    /** @throws ConflictException RUNNER_NAME_TAKEN when the name is in use in the organization */
    Runner register(long organizationId, RunnerRegistration registration, Instant now);

    /** @throws UnknownResourceException when there is no such runner */
    Runner heartbeat(long organizationId, long runnerId, Heartbeat heartbeat, Instant now);

    /**
     * Cordons ({@code false}) or uncordons ({@code true}) a runner; its status and pods are untouched.
     *
     * @throws UnknownResourceException when there is no such runner
     */
    Runner setSchedulable(long organizationId, long runnerId, boolean schedulable, Instant now);

    /**
     * Announces, once across every instance, each runner whose status became offline only because its
     * last heartbeat grew older than the timeout at {@code now}; returns how many this call announced.
     */
    int announceTimeouts(Instant now, int limit);

    /** @return whether a runner was deleted (its pods go with it) */
    boolean delete(long organizationId, long runnerId, Instant now);
}
