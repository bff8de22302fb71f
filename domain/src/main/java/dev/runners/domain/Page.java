package dev.runners.domain;

import java.util.List;

/** One page of a list and the number of all matching items, read from one snapshot. */
public record Page<T>(List<T> items, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
