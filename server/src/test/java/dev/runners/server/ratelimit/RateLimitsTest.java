package dev.runners.server.ratelimit;

import java.time.Duration;

import dev.runners.server.support.TestClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The buckets' arithmetic and their bounded memory, on a clock that only the test moves. */
class RateLimitsTest {
    private final TestClock clock = new TestClock();

    RateLimitsTest() {
        clock.stop();
    }

    @Test
    void aBucketHoldsTwiceItsRateAndRefillsExactly() {
        RateLimits limits = new RateLimits(clock, 3, 100);
        RateLimits.Holder key = RateLimits.Holder.apiKey(1);
        for (int i = 5; i >= 0; i--) {
            TokenBucket.Take take = limits.take(key, true).orElseThrow();
            assertTrue(take.granted());
            assertEquals(6, take.limit());
            assertEquals(i, take.remaining());
        }
        TokenBucket.Take refused = limits.take(key, true).orElseThrow();
        assertFalse(refused.granted());
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals(2, refused.resetSeconds());

        clock.advance(Duration.ofNanos(333_333_333));
        assertFalse(limits.take(key, true).orElseThrow().granted(), "a third of a second minus a nanosecond is short of a token");
        clock.advance(Duration.ofNanos(1));
        assertTrue(limits.take(key, true).orElseThrow().granted());
        assertTrue(limits.take(key, false).orElseThrow().granted(), "writes have their own bucket");
    }

    @Test
    void eachKeyAndTheAdminTokenHaveBucketsOfTheirOwn() {
        RateLimits limits = new RateLimits(clock, 1, 1);
        RateLimits.Holder key = RateLimits.Holder.apiKey(1);
        assertTrue(limits.take(key, false).orElseThrow().granted());
        assertTrue(limits.take(key, false).orElseThrow().granted());
        assertFalse(limits.take(RateLimits.Holder.apiKey(1), false).orElseThrow().granted(), "the same key, however found");

        assertEquals(1, limits.take(RateLimits.Holder.apiKey(2), false).orElseThrow().remaining());
        assertEquals(1, limits.take(RateLimits.Holder.ADMIN, false).orElseThrow().remaining());
    }

    @Test
    void aRateOfZeroIsNoBucket() {
        RateLimits limits = new RateLimits(clock, 0, 1);
        assertTrue(limits.take(RateLimits.Holder.ADMIN, true).isEmpty());
        assertTrue(limits.take(RateLimits.Holder.ADMIN, false).isPresent());
    }

    @Test
    void idleBucketsAreForgotten() {
        RateLimits limits = new RateLimits(clock, 100, 100);
        for (long id = 1; id <= 10_000; id++) {
            limits.take(RateLimits.Holder.apiKey(id), true);
            limits.take(RateLimits.Holder.apiKey(id), false);
        }
        assertEquals(20_000, limits.size());

        clock.advance(Duration.ofSeconds(11));
        limits.take(RateLimits.Holder.apiKey(1), true);

        assertEquals(1, limits.size());
    }
}
