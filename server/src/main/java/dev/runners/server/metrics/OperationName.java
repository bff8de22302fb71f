package dev.runners.server.metrics;

import java.util.Optional;

/**
 * The contract operation a request was routed to, handed from JAX-RS (which knows it) to the
 * routing filter of {@link RequestMetrics} (which measures) through the request's Helidon context.
 */
final class OperationName {
    private volatile String name;

    void set(String name) {
        this.name = name;
    }

    Optional<String> get() {
        return Optional.ofNullable(name);
    }
}
