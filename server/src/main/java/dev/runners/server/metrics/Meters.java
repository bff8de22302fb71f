package dev.runners.server.metrics;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;

/**
 * Where the service's own meters live: Helidon's global registry, which {@code /metrics} renders in
 * the Prometheus text format (names with dots become underscores; counters get {@code _total},
 * timers {@code _seconds}). Every meter here is in the {@code application} scope.
 */
final class Meters {
    static final String SCOPE = "application";

    private Meters() {
    }

    static MeterRegistry registry() {
        return Metrics.globalRegistry();
    }
}
