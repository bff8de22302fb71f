package dev.runners.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The status and availability rule: offline when the runner never sent a heartbeat, last
 * reported offline, or its last heartbeat is older than the timeout; else busy when every slot
 * is taken; else online. A runner is available exactly when it is online and schedulable. SQL
 * states this rule once, in the fragments {@code runner-status} and {@code runner-available} of the
 * persistence module's statements.yaml; RunnerStatusRuleContract holds the two against each other.
 */
public final class AvailabilityPolicy {
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(90);

    private final Clock clock;
    private final Duration heartbeatTimeout;

    public AvailabilityPolicy(Clock clock, Duration heartbeatTimeout) {
        this.clock = Objects.requireNonNull(clock);
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("heartbeat timeout must be positive: " + heartbeatTimeout);
        }
        this.heartbeatTimeout = heartbeatTimeout;
    }

    /** The server's time, at the precision both databases store (microseconds). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Heartbeats strictly before this instant are too old at {@code now}. */
    public Instant heartbeatCutoff(Instant now) {
        return now.minus(heartbeatTimeout);
    }

    public RunnerStatus statusAt(Instant now, ReportedState reported, Instant lastHeartbeatAt, int podCount, int maxPods) {
        if (lastHeartbeatAt == null
                || reported == ReportedState.OFFLINE
                || lastHeartbeatAt.isBefore(heartbeatCutoff(now))) {
            return RunnerStatus.OFFLINE;
        }
        return podCount >= maxPods ? RunnerStatus.BUSY : RunnerStatus.ONLINE;
    }

    public RunnerStatus statusAt(Instant now, Runner runner) {
        return statusAt(now, runner.reportedState(), runner.lastHeartbeatAt(), runner.podCount(), runner.maxPods());
    }

    public boolean isAvailable(Instant now, Runner runner) {
        return runner.schedulable() && statusAt(now, runner) == RunnerStatus.ONLINE;
    }
}
