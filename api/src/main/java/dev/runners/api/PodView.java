package dev.runners.api;

import java.time.Instant;

import dev.runners.domain.Pod;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A pod as clients see it. */
@JsonbNillable
@JsonbPropertyOrder({"key", "status", "agentTypeId", "initialPrompt", "createdAt"})
public record PodView(String key, String status, String agentTypeId, String initialPrompt, Instant createdAt) {

    public static PodView of(Pod pod) {
        return new PodView(pod.key(), pod.status().wireName(), pod.agentTypeId(), pod.initialPrompt(), pod.createdAt());
    }
}
