package dev.runners.domain;

/** A validated registration of a new runner. */
public record RunnerRegistration(String name, String version, String os, String arch, LabelSet labels, int maxPods) {
}
