package dev.runners.domain;

import java.util.EnumSet;
import java.util.Set;

/** Which runners a list shows: any of {@code statuses} (none = all) and every one of {@code labels}. */
public record RunnerFilter(Set<RunnerStatus> statuses, LabelSet labels) {
    public RunnerFilter {
        statuses = statuses.isEmpty() ? EnumSet.noneOf(RunnerStatus.class) : EnumSet.copyOf(statuses);
    }

    /** Every runner. */
    public static RunnerFilter everything() {
        return new RunnerFilter(EnumSet.noneOf(RunnerStatus.class), LabelSet.empty());
    }

    public boolean allStatuses() {
        return statuses.isEmpty() || statuses.size() == RunnerStatus.values().length;
    }
}
