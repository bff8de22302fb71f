package dev.runners.domain;

/** A validated slice of a list: at most {@code limit} items after skipping {@code offset}. */
public record PageRequest(int limit, int offset) {
}
