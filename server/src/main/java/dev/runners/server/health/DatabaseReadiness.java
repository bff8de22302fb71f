package dev.runners.server.health;

import dev.runners.persistence.Database;
import dev.runners.persistence.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the database answers and its schema is migrated. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    private final Database database;

    @Inject
    DatabaseReadiness(Database database) {
        this.database = database;
    }

    @Override
    public HealthCheckResponse call() {
        boolean migrated;
        try {
            database.migrate();
            migrated = true;
        } catch (StoreUnavailableException e) {
            migrated = false;
        }
        boolean reachable = database.ping();
        return HealthCheckResponse.named("database")
                .status(reachable && migrated)
                .withData("reachable", reachable)
                .withData("migrated", migrated)
                .build();
    }
}
