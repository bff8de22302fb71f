package dev.runners.server.metrics;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.runners.server.config.ServiceSettings;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Use of this instance's connection pool, read from Hikari's pool MXBean
 * ({@code db.connection.registerMbeans=true}): {@code runners_db_pool_connections{state}} (active,
 * idle), {@code runners_db_pool_pending} (requests waiting for a connection) and
 * {@code runners_db_pool_max}. NaN while the pool does not exist yet.
 */
@ApplicationScoped
public class ConnectionPoolMetrics {
    static final String CONNECTIONS = "runners.db.pool.connections";
    static final String PENDING = "runners.db.pool.pending";
    static final String MAX = "runners.db.pool.max";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName pool;
    private final int maximumPoolSize;

    @Inject
    ConnectionPoolMetrics(ServiceSettings settings) {
        String poolName = settings.database().poolName();
        try {
            this.pool = new ObjectName("com.zaxxer.hikari:type=Pool (" + poolName + ")");
        } catch (JMException e) {
            throw new IllegalStateException("db.connection.poolName cannot name a pool MXBean: " + poolName, e);
        }
        this.maximumPoolSize = settings.database().maximumPoolSize();
    }

    /** For CDI's proxy. */
    ConnectionPoolMetrics() {
        this.pool = null;
        this.maximumPoolSize = 0;
    }

    void register(@Observes @Initialized(ApplicationScoped.class) Object event) {
        gauge(CONNECTIONS, "Connections of the pool in use by a request or idle", "state", "active",
                () -> attribute("ActiveConnections"));
        gauge(CONNECTIONS, "Connections of the pool in use by a request or idle", "state", "idle",
                () -> attribute("IdleConnections"));
        gauge(PENDING, "Requests waiting for a connection of the pool", null, null,
                () -> attribute("ThreadsAwaitingConnection"));
        gauge(MAX, "Most connections the pool opens (db.connection.maximumPoolSize)", null, null,
                () -> (double) maximumPoolSize);
    }

    private static void gauge(String name, String description, String tag, String value, Supplier<Double> reading) {
        Gauge.Builder<Double> builder = Gauge.builder(name, reading).scope(Meters.SCOPE).description(description);
        if (tag != null) {
            builder.addTag(Tag.create(tag, value));
        }
        Meters.registry().getOrCreate(builder);
    }

    private double attribute(String name) {
        try {
            return ((Number) server.getAttribute(pool, name)).doubleValue();
        } catch (JMException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
