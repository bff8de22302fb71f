package dev.runners.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.webserver.http.ServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Failed authentications (any 401, organization key or admin token) counted per client address:
 * once an address has failed the configured number of times within a minute of its first failure,
 * it is refused with 429 for the rest of that minute, whatever it sends. 0 switches this off.
 */
@ApplicationScoped
public class AuthFailureLockout {
    static final String FAILURES_KEY = "runners.rate-limit.auth-failures-per-minute";
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
    AuthFailureLockout(Clock clock, @ConfigProperty(name = FAILURES_KEY, defaultValue = "20") int limit,
                       @ConfigProperty(name = ClientAddress.TRUST_KEY, defaultValue = "false") String trustForwardedFor) {
        if (limit < 0 || limit > RateLimits.MAX_PER_SECOND) {
            throw RateLimits.badSetting(FAILURES_KEY, "must be between 0 (off) and " + RateLimits.MAX_PER_SECOND
                    + ", was " + limit);
        }
        this.clock = clock;
        this.limit = limit;
        this.trustForwardedFor = ClientAddress.trust(trustForwardedFor);
        this.nextSweep = new AtomicReference<>(clock.instant().plus(SWEEP_INTERVAL));
    }

    /** Created when the application starts, so that a setting that cannot be used stops the start. */
    void createAtStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing to do: being called needs the instance
    }

    /** Whom a request's failure counts against. */
    String clientAddress(ServerRequest request) {
        return ClientAddress.of(request, trustForwardedFor);
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
