package dev.runners.server.ratelimit;

/** A request refused with 429 {@code RATE_LIMITED}; the client may retry after the given delay. */
public final class RateLimited extends RuntimeException {
    private final long retryAfterSeconds;
    private final String bucket;

    /** @param bucket which limit refused it ({@code reads}, {@code writes}, ...), as the metrics name it */
    public RateLimited(String detail, long retryAfterSeconds, String bucket) {
        super(detail, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
