package dev.runners.domain;

import java.time.Instant;

/** An agent pod hosted by a runner. {@code initialPrompt} may be null. */
public record Pod(String key, PodStatus status, String agentTypeId, String initialPrompt, Instant createdAt) {
}
