package dev.runners.persistence;

import java.util.Collection;
import java.util.List;

import dev.runners.domain.LabelSet;
import io.helidon.dbclient.DbStatement;

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

    static <S extends DbStatement<S>> S labels(S statement, LabelSet labels) {
        statement.addParam("label_count", labels.size());
        return fill(statement, "label", LABEL_SLOTS, labels.isEmpty() ? List.of(NO_LABEL) : labels.values());
    }

    static <S extends DbStatement<S>> S values(S statement, String prefix, int slots, Collection<String> values) {
        return fill(statement, prefix, slots, List.copyOf(values));
    }

    private static <S extends DbStatement<S>> S fill(S statement, String prefix, int slots, List<String> values) {
        if (values.isEmpty() || values.size() > slots) {
            throw new IllegalArgumentException(prefix + ": " + values.size() + " values for " + slots + " slots");
        }
        for (int i = 0; i < slots; i++) {
            statement.addParam(prefix + (i + 1), values.get(Math.min(i, values.size() - 1)));
        }
        return statement;
    }
}
