package dev.runners.domain;

import java.time.Instant;
import java.util.Map;

/** How many runners are in each status across every organization: what operators watch, not tenants. */
public interface RunnerCensus {

    /** Every status, with 0 when no runner has it; statuses are judged as of {@code now}. */
    Map<RunnerStatus, Long> countByStatus(Instant now);
}
