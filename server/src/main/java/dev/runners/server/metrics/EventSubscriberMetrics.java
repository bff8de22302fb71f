package dev.runners.server.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.metrics.api.Gauge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * Open change-feed streams and waiting long polls on this instance: {@code runners_event_subscribers}.
 * The change feed calls {@link #subscribed()} when one opens and {@link #unsubscribed()} when it ends.
 */
@ApplicationScoped
public class EventSubscriberMetrics {
    static final String SUBSCRIBERS = "runners.event.subscribers";

    private final AtomicInteger open = new AtomicInteger();

    void register(@Observes @Initialized(ApplicationScoped.class) Object event) {
        Meters.registry().getOrCreate(Gauge.builder(SUBSCRIBERS, open::get)
                .scope(Meters.SCOPE)
                .description("Change-feed subscribers connected to this instance"));
    }

    public void subscribed() {
        open.incrementAndGet();
    }

    public void unsubscribed() {
        open.decrementAndGet();
    }
}
