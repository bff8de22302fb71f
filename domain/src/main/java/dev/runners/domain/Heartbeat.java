package dev.runners.domain;

/** A validated heartbeat; a null field keeps the stored value. */
public record Heartbeat(ReportedState state, String version, String os, String arch, LabelSet labels, Integer maxPods) {
}
