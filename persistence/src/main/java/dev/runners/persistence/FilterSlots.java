package dev.runners.persistence;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.runners.domain.LabelSet;

/**
 * Binds a variable-length filter to the fixed parameter slots of a named statement
 * ({@code :label1..:label32}, {@code :status1..}): unused slots repeat the first value, so the
 * statement text never changes and nothing is concatenated from input.
 */
final class FilterSlots {
    static final int LABEL_SLOTS = LabelSet.MAX_LABELS;
    /** A value no label can have (labels are never empty), for slots of an empty label filter. */
    private static final String NO_LABEL = "";

    private FilterSlots() {
    }

    static void labels(Map<String, Object> parameters, LabelSet labels) {
        parameters.put("label_count", labels.size());
        fill(parameters, "label", LABEL_SLOTS, labels.isEmpty() ? List.of(NO_LABEL) : labels.values());
    }

    static void values(Map<String, Object> parameters, String prefix, int slots, Collection<String> values) {
        fill(parameters, prefix, slots, List.copyOf(values));
    }

    private static void fill(Map<String, Object> parameters, String prefix, int slots, List<String> values) {
        if (values.isEmpty() || values.size() > slots) {
            throw new IllegalArgumentException(prefix + ": " + values.size() + " values for " + slots + " slots");
        }
        for (int i = 0; i < slots; i++) {
            parameters.put(prefix + (i + 1), values.get(Math.min(i, values.size() - 1)));
        }
    }
}
