package dev.runners.domain;

/**
 * How large a page of one list may be and how large it is when the caller does not say: a rule of
 * the business (SPEC: no list is ever unbounded), so it stays here while the reading of the
 * {@code limit}/{@code offset} query text lives with the API ({@code dev.runners.api.QueryValues.page}).
 */
public record PageRules(int maxLimit, int defaultLimit) {
    /** Runner lists: limit 1-1000, default 100. */
    public static final PageRules RUNNERS = new PageRules(1000, 100);
    /** Pod lists: limit 1-100, default 50. */
    public static final PageRules PODS = new PageRules(100, 50);
    /** API key lists: limit 1-1000, default 100. */
    public static final PageRules API_KEYS = new PageRules(1000, 100);

    public PageRules {
        if (defaultLimit < 1 || defaultLimit > maxLimit) {
            throw new IllegalArgumentException("default limit " + defaultLimit + " is not within 1-" + maxLimit);
        }
    }
}
