package dev.runners.server.it;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.runners.server.support.PostgresDatabase;
import dev.runners.server.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** The start-up log on PostgreSQL: where the data is, never how to log in, and the schema version. */
class ServiceLogPostgresIT {
    /** The test server trusts local connections, so any password works; these must never be written out. */
    private static final String URL_PASSWORD = "url-secret-4d9f1c";
    private static final String PASSWORD = "setting-secret-7be20a";

    @RegisterExtension
    static final PostgresDatabase DATABASE = new PostgresDatabase();

    @TempDir
    Path workDir;

    @Test
    void theStartUpLogNamesTheDatabaseWithoutCredentialsAndTheSchemaItMigratedToThenFound() throws Exception {
        Map<String, String> settings = new HashMap<>(DATABASE.settings());
        String url = settings.get("db.connection.url");
        settings.put("db.connection.url", url + "?ApplicationName=runners&password=" + URL_PASSWORD);
        settings.put("db.connection.password", PASSWORD);
        String location = url.substring("jdbc:postgresql://".length());

        try (ServiceProcess first = ServiceProcess.startReady(workDir.resolve("first"),
                ServiceProcess.environment(settings))) {
            String log = first.output();
            assertThat(log, containsString("Database: PostgreSQL at " + location + "\n"));
            assertThat(log, containsString("Database schema migrated from empty to version "));
            assertThat(log, containsString("Admin API enabled"));
            assertThat(log, not(containsString(URL_PASSWORD)));
            assertThat(log, not(containsString(PASSWORD)));

            // a second instance on the same database, without an admin token
            settings.remove("runners.admin-token");
            try (ServiceProcess second = ServiceProcess.startReady(workDir.resolve("second"),
                    ServiceProcess.environment(settings))) {
                String secondLog = second.output();
                assertThat(secondLog, containsString("Database schema found at version "));
                assertThat(secondLog, containsString("Admin API disabled: runners.admin-token (RUNNERS_ADMIN_TOKEN)"
                        + " is not set"));
                assertThat(secondLog, not(containsString(PASSWORD)));
            }
        }
    }
}
