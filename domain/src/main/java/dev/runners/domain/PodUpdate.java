package dev.runners.domain;

/** A validated pod report; {@code initialPrompt} is null when the agent did not send one. */
public record PodUpdate(PodStatus status, String agentTypeId, String initialPrompt) {
}
