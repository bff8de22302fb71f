package dev.runners.domain;

/** A validated slice of a list: at most {@code limit} items after skipping {@code offset}. */
public record PageRequest(int limit, int offset) {
    /** The limit of a list that was asked for whole. */
    public static final int ALL = Integer.MAX_VALUE;

    public boolean unbounded() {
        return limit == ALL;
    }
}
