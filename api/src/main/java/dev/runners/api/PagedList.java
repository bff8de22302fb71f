package dev.runners.api;

/**
 * A page of a list answer ({@code total}, {@code limit}, {@code offset} beside the items): the
 * server links every such answer to its next page while more items follow.
 */
public interface PagedList {
    /** Every match, ignoring limit and offset. */
    long total();

    int limit();

    int offset();

    /** Whether items follow this page. */
    default boolean hasNext() {
        return (long) offset() + limit() < total();
    }
}
