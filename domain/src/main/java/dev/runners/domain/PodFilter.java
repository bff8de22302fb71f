package dev.runners.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Which pods a list shows: any of {@code statuses}; none means all. */
public record PodFilter(Set<PodStatus> statuses) {
    public static final String STATUS = "status";

    public PodFilter {
        statuses = statuses.isEmpty() ? EnumSet.noneOf(PodStatus.class) : EnumSet.copyOf(statuses);
    }

    public static PodFilter parse(List<String> statusValues) {
        return new PodFilter(QueryValues.enumSet(STATUS, statusValues, PodStatus.class, PodStatus::fromWire,
                "initializing, running, paused, disconnected, completed, terminated, error, orphaned"));
    }

    public boolean allStatuses() {
        return statuses.isEmpty() || statuses.size() == PodStatus.values().length;
    }
}
