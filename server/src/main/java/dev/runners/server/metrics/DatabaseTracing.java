package dev.runners.server.metrics;

import io.helidon.tracing.Tracer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Spans for database statements under the request's span. Helidon DB Client tracing takes
 * Helidon's global tracer, which MicroProfile Telemetry (Helidon 4.1.2) only installs when its
 * tracer is first injected, normally at the first request, after the web server has taken the
 * no-op one. Asking for it at start-up installs it in time. With tracing off
 * ({@code otel.sdk.disabled=true}) it is a no-op tracer and costs nothing.
 */
@ApplicationScoped
public class DatabaseTracing {
    private static final System.Logger LOG = System.getLogger(DatabaseTracing.class.getName());

    void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object event,
                 Tracer tracer) {
        LOG.log(System.Logger.Level.DEBUG, "Tracing with " + tracer);
    }
}
