package dev.runners.api;

/** {@code {"runner": {...}}}. */
public record RunnerEnvelope(RunnerView runner) {
}
