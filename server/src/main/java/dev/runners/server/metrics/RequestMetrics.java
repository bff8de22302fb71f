package dev.runners.server.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.interceptor.Interceptor;

/**
 * Count and latency of every request, by operation (the contract's operationId) and status class
 * ({@code 2xx} … {@code 5xx}): {@code runners_http_requests_total} and the histogram
 * {@code runners_http_request_duration_seconds}. Measured around the whole routing, so the time
 * includes writing the body, and refusals before JAX-RS (malformed requests) count too.
 */
@ApplicationScoped
public class RequestMetrics {
    static final String REQUESTS = "runners.http.requests";
    static final String DURATION = "runners.http.request.duration";
    /** Requests that matched no operation of the contract (unknown paths, refusals at the edge). */
    static final String UNMATCHED = "unmatched";
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    /** Paths served outside JAX-RS, named as in the contract. */
    private static final Map<String, String> OBSERVE_OPERATIONS = Map.of(
            "/health/live", "healthLive",
            "/health/ready", "healthReady",
            "/health/started", "healthStarted",
            "/metrics", "getMetrics");

    private record Key(String operation, String statusClass) {
    }

    private record OperationMeters(Counter requests, Timer duration) {
    }

    private final Map<Key, OperationMeters> meters = new ConcurrentHashMap<>();

    // before the other routing filters (EdgeGuard), so that what they refuse is measured too
    void register(@Observes @Priority(Interceptor.Priority.APPLICATION) @Initialized(ApplicationScoped.class) Object event,
                  BeanManager beans) {
        beans.getExtension(ServerCdiExtension.class).serverRoutingBuilder().addFilter(this::measure);
    }

    private void measure(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long start = System.nanoTime();
        // before routing, which makes the path relative to the service it reaches
        String path = request.path().rawPath();
        OperationName operation = new OperationName();
        request.context().register(operation);
        try {
            chain.proceed();
        } finally {
            String name = operation.get()
                    .orElseGet(() -> OBSERVE_OPERATIONS.getOrDefault(path, UNMATCHED));
            record(name, response.status().code(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    void record(String operation, int status, Duration elapsed) {
        OperationMeters m = meters.computeIfAbsent(new Key(operation, (status / 100) + "xx"), this::create);
        m.requests().increment();
        m.duration().record(elapsed);
    }

    private OperationMeters create(Key key) {
        List<Tag> tags = List.of(Tag.create("operation", key.operation()), Tag.create("status_class", key.statusClass()));
        return new OperationMeters(
                Meters.registry().getOrCreate(Counter.builder(REQUESTS)
                        .scope(Meters.SCOPE)
                        .description("HTTP requests answered, by operation and status class")
                        .tags(tags)),
                Meters.registry().getOrCreate(Timer.builder(DURATION)
                        .scope(Meters.SCOPE)
                        .description("Time from reading a request to having written its answer")
                        .buckets(BUCKETS)
                        // a histogram, not client-side quantiles (Helidon adds six by default)
                        .percentiles(new double[0])
                        .tags(tags)));
    }
}
