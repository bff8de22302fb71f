package dev.runners.server.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Tag;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Requests refused by this instance's rate limits, per bucket: {@code runners_rate_limited_total}.
 * The rate limiter calls {@link #rateLimited(String)} each time it answers 429.
 */
@ApplicationScoped
public class RateLimitMetrics {
    static final String REFUSALS = "runners.rate.limited";

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** One request refused by the limit named {@code bucket} (a fixed name, never a caller's key). */
    public void rateLimited(String bucket) {
        counters.computeIfAbsent(bucket, b -> Meters.registry().getOrCreate(Counter.builder(REFUSALS)
                        .scope(Meters.SCOPE)
                        .description("Requests refused with 429 by this instance's rate limits, by bucket")
                        .addTag(Tag.create("bucket", b))))
                .increment();
    }
}
