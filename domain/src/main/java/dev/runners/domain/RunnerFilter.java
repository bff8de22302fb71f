package dev.runners.domain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Which runners a list shows: any of {@code statuses} (none = all) and every one of {@code labels}. */
public record RunnerFilter(Set<RunnerStatus> statuses, LabelSet labels) {
    public static final String STATUS = "status";
    public static final String LABEL = "label";

    public RunnerFilter {
        statuses = statuses.isEmpty() ? EnumSet.noneOf(RunnerStatus.class) : EnumSet.copyOf(statuses);
    }

    public static RunnerFilter parse(List<String> statusValues, List<String> labelValues) {
        EnumSet<RunnerStatus> statuses = QueryValues.enumSet(STATUS, statusValues, RunnerStatus.class,
                RunnerStatus::fromWire, "online, busy, offline");
        return new RunnerFilter(statuses, labels(labelValues));
    }

    /** Every runner. */
    public static RunnerFilter everything() {
        return new RunnerFilter(EnumSet.noneOf(RunnerStatus.class), LabelSet.empty());
    }

    /** Only runners that can take a pod now. */
    public static RunnerFilter available(List<String> labelValues) {
        return new RunnerFilter(EnumSet.of(RunnerStatus.ONLINE), labels(labelValues));
    }

    private static LabelSet labels(List<String> labelValues) {
        if (labelValues == null || labelValues.isEmpty()) {
            return LabelSet.empty();
        }
        List<Violation> violations = new ArrayList<>();
        LabelSet labels = LabelSet.of(labelValues, LABEL, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(InvalidInputException.Reason.INVALID_PARAMETER, violations);
        }
        return labels;
    }

    public boolean allStatuses() {
        return statuses.isEmpty() || statuses.size() == RunnerStatus.values().length;
    }
}
