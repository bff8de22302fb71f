package dev.runners.server.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * One token bucket: it holds at most twice its rate and refills continuously at its rate per
 * second. Tokens are counted in billionths, so that a refill (nanoseconds times tokens per second)
 * is exact integer arithmetic. Not thread-safe: {@link RateLimits} uses it under its map's lock.
 */
final class TokenBucket {
    /** Billionths of a token in one token; also nanoseconds in a second. */
    private static final long SCALE = 1_000_000_000L;
    /** From empty to full: the capacity is twice the rate per second. */
    static final Duration FILL_TIME = Duration.ofSeconds(2);

    private final long perSecond;
    private final long capacity;
    private long billionths;
    private Instant updatedAt;

    /** A full bucket. */
    TokenBucket(long perSecond, Instant now) {
        this.perSecond = perSecond;
        this.capacity = 2 * perSecond;
        this.billionths = capacity * SCALE;
        this.updatedAt = now;
    }

    /** What one request got from the bucket, and what the headers tell the client. */
    record Take(boolean granted, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    Take take(Instant now) {
        refill(now);
        boolean granted = billionths >= SCALE;
        if (granted) {
            billionths -= SCALE;
        }
        long untilFull = secondsToRefill(capacity * SCALE - billionths);
        long untilNext = granted ? 0 : Math.max(1, secondsToRefill(SCALE - billionths));
        return new Take(granted, capacity, billionths / SCALE, untilFull, untilNext);
    }

    /** Whether the bucket is full by {@code now}: then forgetting it changes nothing. */
    boolean fullAt(Instant now) {
        return !now.isBefore(updatedAt.plus(FILL_TIME));
    }

    private void refill(Instant now) {
        if (!now.isAfter(updatedAt)) {
            return;  // the same instant, or a clock that stepped back: nothing accrues
        }
        if (fullAt(now)) {
            billionths = capacity * SCALE;
        } else {
            // below FILL_TIME, so nanos * perSecond stays below capacity * SCALE: no overflow
            billionths = Math.min(capacity * SCALE,
                    billionths + Duration.between(updatedAt, now).toNanos() * perSecond);
        }
        updatedAt = now;
    }

    /** Whole seconds (rounded up) until {@code missing} billionths of a token have accrued. */
    private long secondsToRefill(long missing) {
        return missing <= 0 ? 0 : Math.ceilDiv(missing, perSecond * SCALE);
    }
}
