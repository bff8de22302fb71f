package dev.runners.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** A runner's labels: sorted, without duplicates, each of valid syntax, at most {@link #MAX_LABELS}. */
public final class LabelSet {
    public static final int MAX_LABELS = 32;
    public static final int MAX_LENGTH = 63;
    public static final String SYNTAX = "[a-z0-9]([a-z0-9._-]*[a-z0-9])?";
    private static final Pattern LABEL = Pattern.compile(SYNTAX);
    private static final LabelSet EMPTY = new LabelSet(List.of());

    private final List<String> labels;

    private LabelSet(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    public static LabelSet empty() {
        return EMPTY;
    }

    /** The reason {@code label} is not a valid label, or null when it is one. */
    public static String problemWith(String label) {
        if (label == null || label.isEmpty() || label.length() > MAX_LENGTH) {
            return "must be 1-" + MAX_LENGTH + " characters";
        }
        if (!LABEL.matcher(label).matches()) {
            return "must match " + SYNTAX;
        }
        return null;
    }

    /**
     * Builds the set, or reports every problem under {@code name}; duplicates are merged.
     *
     * @throws IllegalArgumentException never; problems are added to {@code violations}
     */
    public static LabelSet of(Collection<String> values, String name, List<Violation> violations) {
        TreeSet<String> sorted = new TreeSet<>();
        boolean valid = true;
        for (String value : values) {
            String problem = problemWith(value);
            if (problem != null) {
                violations.add(new Violation(name, "label '" + printable(value) + "' " + problem));
                valid = false;
            } else {
                sorted.add(value);
            }
        }
        if (sorted.size() > MAX_LABELS) {
            violations.add(new Violation(name, "at most " + MAX_LABELS + " distinct labels"));
            valid = false;
        }
        return valid ? new LabelSet(new ArrayList<>(sorted)) : EMPTY;
    }

    /** Rebuilds a set that was validated before it was stored. */
    public static LabelSet fromStored(String joined) {
        if (joined == null || joined.isEmpty()) {
            return EMPTY;
        }
        return new LabelSet(new ArrayList<>(new TreeSet<>(List.of(joined.split(",")))));
    }

    /** The stored form: labels joined by commas (a comma is never part of a label). */
    public String joined() {
        return String.join(",", labels);
    }

    public List<String> values() {
        return labels;
    }

    public int size() {
        return labels.size();
    }

    public boolean isEmpty() {
        return labels.isEmpty();
    }

    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 70 ? value.substring(0, 70) + "..." : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return labels.toString();
    }
}
