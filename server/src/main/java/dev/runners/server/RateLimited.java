package dev.runners.server;

/** A request refused with 429 {@code RATE_LIMITED}; the client may retry after the given delay. */
final class RateLimited extends RuntimeException {
    private final long retryAfterSeconds;

    RateLimited(String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
