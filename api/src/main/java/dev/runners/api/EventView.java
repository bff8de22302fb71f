package dev.runners.api;

import java.time.Instant;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Change;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * An event of the change feed as subscribers receive it: the runner as read at that moment (null
 * when deleted) and, for pod events, the pod.
 */
@JsonbNillable
@JsonbPropertyOrder({"version", "type", "at", "runnerId", "runner", "pod"})
public record EventView(long version, String type, Instant at, long runnerId, RunnerView runner, PodView pod) {

    public static EventView of(long version, Change change, AvailabilityPolicy policy) {
        return new EventView(version, change.type().wireName(), change.at(), change.runnerId(),
                change.runner() == null ? null : RunnerView.of(change.runner(), policy, change.at()),
                change.pod() == null ? null : PodView.of(change.pod()));
    }
}
