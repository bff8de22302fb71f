package dev.runners.api;

import java.time.Instant;
import java.util.List;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Runner;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A runner as clients see it: exactly the fields of the contract, status computed at read time. */
@JsonbNillable
@JsonbPropertyOrder({"id", "name", "status", "version", "os", "arch", "labels", "podCount", "maxPods",
        "schedulable", "lastHeartbeatAt", "createdAt"})
public record RunnerView(long id, String name, String status, String version, String os, String arch,
                         List<String> labels, int podCount, int maxPods, boolean schedulable, Instant lastHeartbeatAt,
                         Instant createdAt) {

    public static RunnerView of(Runner runner, AvailabilityPolicy policy, Instant now) {
        return new RunnerView(runner.id(), runner.name(), policy.statusAt(now, runner).wireName(),
                runner.version(), runner.os(), runner.arch(), runner.labels().values(), runner.podCount(),
                runner.maxPods(), runner.schedulable(), runner.lastHeartbeatAt(), runner.createdAt());
    }
}
