package dev.runners.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.runners.server.config.ServiceSettings;
import io.helidon.webserver.http.ServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Failed authentications (any 401, organization key or admin token) counted per client address:
 * once an address has failed the configured number of times within a minute of its first failure,
 * it is refused with 429 for the rest of that minute, whatever it sends. 0 switches this off.
 */
@ApplicationScoped
public class AuthFailureLockout {
    static final Duration WINDOW = Duration.ofMinutes(1);
    /**
     * Addresses followed at once. Beyond it, new addresses are not counted until a sweep frees room:
     * a client able to send from that many addresses is not held back by a per-address count anyway,
     * and memory stays bounded even when X-Forwarded-For is trusted. Windows that are over are
     * swept every few seconds.
     */
    static final int MAX_ADDRESSES = 100_000;
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

    /** The failures of one address in the minute that began with its first failure. */
    private record Window(Instant start, int failures) {
        boolean over(Instant now) {
            return !now.isBefore(start.plus(WINDOW));
        }
    }

    private final Clock clock;
    private final int limit;
    private final boolean trustForwardedFor;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> nextSweep;

    @Inject
    AuthFailureLockout(Clock clock, ServiceSettings settings) {
        this(clock, settings.rateLimits().authFailuresPerMinute(), settings.rateLimits().trustForwardedFor());
    }

    /** Settings as {@link ServiceSettings} checked them. */
    AuthFailureLockout(Clock clock, int limit, boolean trustForwardedFor) {
        this.clock = clock;
        this.limit = limit;
        this.trustForwardedFor = trustForwardedFor;
        this.nextSweep = new AtomicReference<>(clock.instant().plus(SWEEP_INTERVAL));
    }

    /** Whom a request's failure counts against. */
    String clientAddress(ServerRequest request) {
        return ClientAddress.of(request, trustForwardedFor);
    }

    /** Whether any address has failed lately: until one has, no request's address needs to be found. */
    public boolean followsAnyAddress() {
        return limit != 0 && !windows.isEmpty();
    }

    /** @throws RateLimited while {@code address} is locked out */
    void refuseIfLockedOut(String address) {
        if (limit == 0) {
            return;
        }
        Window window = windows.get(address);
        Instant now = clock.instant();
        if (window != null && window.failures() >= limit && !window.over(now)) {
            long seconds = Math.max(1, Math.ceilDiv(Duration.between(now, window.start().plus(WINDOW)).toMillis(), 1000));
            throw new RateLimited("too many failed authentications from this address; retry after " + seconds + " s",
                    seconds, "auth-failures");
        }
    }

    void recordFailure(String address) {
        if (limit == 0) {
            return;
        }
        Instant now = clock.instant();
        sweepIfDue(now);
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
            return;
        }
        windows.compute(address, (a, window) -> window == null || window.over(now)
                ? new Window(now, 1)
                : new Window(window.start(), window.failures() + 1));
    }

    /** Forgets the windows that are over: their addresses start afresh anyway. */
    private void sweepIfDue(Instant now) {
        Instant due = nextSweep.get();
        if (now.isBefore(due) || !nextSweep.compareAndSet(due, now.plus(SWEEP_INTERVAL))) {
            return;
        }
        windows.values().removeIf(window -> window.over(now));
    }

    /** How many addresses are followed; for tests of the bound. */
    int size() {
        return windows.size();
    }
}
