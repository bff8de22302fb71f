package dev.runners.server.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The server's clock in tests: real time plus an offset that a test can move forward, so the
 * heartbeat timeout is tested without sleeping. A test class can also stop it for good, so that
 * only {@link #advance} moves it (rate limits refill with time).
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    /** The instant the clock stands at while stopped; null while it runs. */
    private final AtomicReference<Instant> stoppedAt = new AtomicReference<>();

    public void advance(Duration duration) {
        offset.updateAndGet(d -> d.plus(duration));
        stoppedAt.updateAndGet(at -> at == null ? null : at.plus(duration));
    }

    /** Stops the clock at the current instant; from then on only {@link #advance} moves it. */
    public void stop() {
        stoppedAt.compareAndSet(null, instant());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant at = stoppedAt.get();
        return at != null ? at : Instant.now().plus(offset.get());
    }
}
