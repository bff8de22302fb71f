package dev.runners.domain;

import java.util.EnumSet;
import java.util.Set;

/** Which pods a list shows: any of {@code statuses}; none means all. */
public record PodFilter(Set<PodStatus> statuses) {
    public PodFilter {
        statuses = statuses.isEmpty() ? EnumSet.noneOf(PodStatus.class) : EnumSet.copyOf(statuses);
    }

    public boolean allStatuses() {
        return statuses.isEmpty() || statuses.size() == PodStatus.values().length;
    }
}
