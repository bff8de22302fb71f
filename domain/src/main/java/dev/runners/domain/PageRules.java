package dev.runners.domain;

import java.util.List;

/** The limit/offset rules of one list endpoint; the one place that validates them. */
public record PageRules(int maxLimit, int defaultLimit) {
    public static final String LIMIT = "limit";
    public static final String OFFSET = "offset";

    /** Runner lists: limit 1-1000, default 100 (no list is ever unbounded). */
    public static final PageRules RUNNERS = new PageRules(1000, 100);
    /** Pod lists: limit 1-100, default 50. */
    public static final PageRules PODS = new PageRules(100, 50);
    /** API key lists: limit 1-1000, default 100. */
    public static final PageRules API_KEYS = new PageRules(1000, 100);

    /**
     * Reads the raw query values; absent parameters take their defaults, anything else that is
     * not a single integer within range is refused, naming the parameter.
     */
    public PageRequest parse(List<String> limitValues, List<String> offsetValues) {
        int limit = defaultLimit;
        if (limitValues != null && !limitValues.isEmpty()) {
            limit = QueryValues.integer(LIMIT, limitValues, 1, maxLimit);
        }
        int offset = 0;
        if (offsetValues != null && !offsetValues.isEmpty()) {
            offset = QueryValues.integer(OFFSET, offsetValues, 0, Integer.MAX_VALUE);
        }
        return new PageRequest(limit, offset);
    }
}
