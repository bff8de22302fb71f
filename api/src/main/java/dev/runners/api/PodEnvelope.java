package dev.runners.api;

/** {@code {"pod": {...}}}. */
public record PodEnvelope(PodView pod) {
}
