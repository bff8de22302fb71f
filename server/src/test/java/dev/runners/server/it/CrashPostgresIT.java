package dev.runners.server.it;

import java.util.Map;

import dev.runners.server.support.PostgresDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The crash test on a fresh PostgreSQL database. */
class CrashPostgresIT extends CrashContract {
    @RegisterExtension
    static final PostgresDatabase DATABASE = new PostgresDatabase();

    @Override
    Map<String, String> database() {
        Map<String, String> settings = DATABASE.settings();
        return Map.of(
                "DB_CONNECTION_URL", settings.get("db.connection.url"),
                "DB_CONNECTION_USERNAME", settings.get("db.connection.username"),
                "DB_CONNECTION_PASSWORD", settings.get("db.connection.password"));
    }
}
