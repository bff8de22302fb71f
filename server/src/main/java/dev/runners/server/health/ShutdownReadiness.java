package dev.runners.server.health;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * SIGTERM, as the JVM's shutdown starts the container's: readiness turns DOWN at once, the service
 * keeps answering for {@code runners.shutdown.drain-seconds} (so that load balancers that watch
 * readiness stop sending), then the web server stops listening and gives requests in flight up to
 * {@code server.shutdown-grace-period} (10 s) to finish before the process exits (status 143).
 * Change-feed streams end right after the drain ({@link ChangeFeed}), so they do not hold the exit up.
 */
@Readiness
@ApplicationScoped
public class ShutdownReadiness implements HealthCheck {
    private static final System.Logger LOG = System.getLogger(ShutdownReadiness.class.getName());

    private final Duration drain;
    private volatile boolean stopping;

    @Inject
    ShutdownReadiness(@ConfigProperty(name = "runners.shutdown.drain-seconds", defaultValue = "0") int drainSeconds) {
        if (drainSeconds < 0) {
            throw new IllegalStateException("runners.shutdown.drain-seconds must not be negative, was " + drainSeconds);
        }
        this.drain = Duration.ofSeconds(drainSeconds);
    }

    /** For CDI's proxy. */
    ShutdownReadiness() {
        this.drain = Duration.ZERO;
    }

    // before Helidon stops the web server (an observer of the same event at PLATFORM_BEFORE)
    void stopping(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 100) @BeforeDestroyed(ApplicationScoped.class)
                  Object event) {
        stopping = true;
        LOG.log(System.Logger.Level.INFO, "Shutting down: readiness is DOWN; serving " + drain.toSeconds()
                + " s more, then requests in flight may finish before the listener closes");
        try {
            Thread.sleep(drain.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("shutdown").status(!stopping).withData("stopping", stopping).build();
    }
}
