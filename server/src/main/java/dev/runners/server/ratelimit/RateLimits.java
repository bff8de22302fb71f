package dev.runners.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.runners.server.config.ServiceSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Per caller and server instance, two token buckets: one for reads (GET, HEAD) and one for writes
 * (every other method), so that a polling dashboard can never starve its organization's
 * heartbeats. A bucket refills at its configured rate per second and holds twice that; a rate of
 * 0 switches it off. The callers are organization API keys and the admin token.
 */
@ApplicationScoped
public class RateLimits {
    /** How often idle buckets are looked for; a bucket idle for {@link TokenBucket#FILL_TIME} is full and forgotten. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

    /**
     * Who a bucket belongs to: an API key by id, or the admin token. Numbers, not a name: a name
     * spelled out, hashed and compared on every request cost ~1% of a heartbeat.
     */
    public record Holder(boolean admin, long apiKeyId) {
        public static final Holder ADMIN = new Holder(true, 0);

        public static Holder apiKey(long id) {
            return new Holder(false, id);
        }
    }

    private enum Kind { READS, WRITES }

    private record BucketId(Holder holder, Kind kind) {
    }

    /** The state of the caller's bucket after this request: the RateLimit-* headers. */
    public record Quota(long limit, long remaining, long resetSeconds) {
        static final String LIMIT = "RateLimit-Limit";
        static final String REMAINING = "RateLimit-Remaining";
        static final String RESET = "RateLimit-Reset";
        private static final String PROPERTY = Quota.class.getName();

        static Optional<Quota> of(ContainerRequestContext request) {
            return request.getProperty(PROPERTY) instanceof Quota quota ? Optional.of(quota) : Optional.empty();
        }

        /** The answer's RateLimit-* headers, as text (a number would be turned into text by a header delegate looked up per header). */
        public void headers(BiConsumer<String, String> header) {
            header.accept(LIMIT, Long.toString(limit));
            header.accept(REMAINING, Long.toString(remaining));
            header.accept(RESET, Long.toString(resetSeconds));
        }
    }

    private final Clock clock;
    private final long readsPerSecond;
    private final long writesPerSecond;
    private final Map<BucketId, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> nextSweep;

    @Inject
    RateLimits(Clock clock, ServiceSettings settings) {
        this(clock, settings.rateLimits().readsPerSecond(), settings.rateLimits().writesPerSecond());
    }

    /** Rates as {@link ServiceSettings} checked them. */
    RateLimits(Clock clock, long readsPerSecond, long writesPerSecond) {
        this.clock = clock;
        this.readsPerSecond = readsPerSecond;
        this.writesPerSecond = writesPerSecond;
        this.nextSweep = new AtomicReference<>(clock.instant().plus(SWEEP_INTERVAL));
    }

    /**
     * Takes a token for this request from the holder's bucket of its kind, and records the quota
     * for the response headers.
     *
     * @throws RateLimited when the bucket is empty; nothing of the request has been done
     */
    public void admit(ContainerRequestContext request, Holder holder) {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        admit(holder, read, quota -> attach(request, quota));
    }

    /** Keeps {@code quota} with the request, for its answer's headers ({@link RateLimitFilter}). */
    public void attach(ContainerRequestContext request, Quota quota) {
        request.setProperty(Quota.PROPERTY, quota);
    }

    /**
     * Takes a token from the holder's bucket of reads or writes; the quota (for the response headers)
     * goes to {@code quotas} before a refusal is thrown, so that the refusal carries it too.
     *
     * @throws RateLimited when the bucket is empty; nothing of the request has been done
     */
    public void admit(Holder holder, boolean read, Consumer<Quota> quotas) {
        Optional<TokenBucket.Take> taken = take(holder, read);
        if (taken.isEmpty()) {
            return;
        }
        TokenBucket.Take take = taken.get();
        quotas.accept(new Quota(take.limit(), take.remaining(), take.resetSeconds()));
        if (!take.granted()) {
            throw new RateLimited("more than " + take.limit() / 2 + (read ? " reads" : " writes")
                    + " per second (bursts up to " + take.limit() + ") with these credentials; retry after "
                    + take.retryAfterSeconds() + " s", take.retryAfterSeconds(), read ? "reads" : "writes");
        }
    }

    /** One token from the holder's bucket of reads or writes; empty when that bucket is switched off. */
    Optional<TokenBucket.Take> take(Holder holder, boolean read) {
        long perSecond = read ? readsPerSecond : writesPerSecond;
        if (perSecond == 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        sweepIfDue(now);
        TokenBucket.Take[] taken = new TokenBucket.Take[1];
        // under the map's lock for this bucket, so a sweep never forgets a bucket being used
        buckets.compute(new BucketId(holder, read ? Kind.READS : Kind.WRITES), (id, bucket) -> {
            TokenBucket current = bucket == null ? new TokenBucket(perSecond, now) : bucket;
            taken[0] = current.take(now);
            return current;
        });
        return Optional.of(taken[0]);
    }

    /** Forgets full buckets (a new one would be the same), so the map holds only recently active callers. */
    private void sweepIfDue(Instant now) {
        Instant due = nextSweep.get();
        if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(SWEEP_INTERVAL))) {
            return;
        }
        for (BucketId id : buckets.keySet()) {
            buckets.computeIfPresent(id, (key, bucket) -> bucket.fullAt(now) ? null : bucket);
        }
    }

    /** How many buckets are held; for tests of the bound. */
    int size() {
        return buckets.size();
    }
}
