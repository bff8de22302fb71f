package dev.runners.server.assembly;

import dev.runners.persistence.Database;
import dev.runners.persistence.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * Migrates the schema when the service starts. A database that is down at start-up does not stop
 * the service: readiness stays DOWN and the next request or readiness probe tries again.
 */
@ApplicationScoped
public class DatabaseStartup {
    private static final System.Logger LOG = System.getLogger(DatabaseStartup.class.getName());

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event, Database database) {
        try {
            database.migrate();
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "Database not ready at start-up; will retry: "
                    + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
