package dev.runners.server.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database per test class, created through the server named by the system
 * properties {@code runners.test.postgres.*} and dropped afterwards. When PostgreSQL does not
 * answer, the class fails if {@code runners.test.postgres.required=true} (as in CI), else it is
 * reported as aborted with the reason.
 */
public class PostgresDatabase extends TestDatabase {
    private static final String URL = System.getProperty("runners.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getProperty("runners.test.postgres.username", "postgres");
    private static final String PASSWORD = System.getProperty("runners.test.postgres.password", "postgres");
    private static final boolean REQUIRED = Boolean.getBoolean("runners.test.postgres.required");

    private String database;

    @Override
    protected Map<String, String> create(String testClass) throws Exception {
        database = ("runners_it_" + testClass + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            // the name is made here from a class name and a UUID, never from input
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if (REQUIRED) {
                throw new IllegalStateException("PostgreSQL is required (runners.test.postgres.required=true) but "
                        + URL + " does not answer: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL at " + URL + " does not answer (" + e.getMessage()
                    + "); set runners.test.postgres.required=true to make this a failure");
        }
        return Map.of(
                "db.connection.url", serverUrl(URL.substring(0, URL.lastIndexOf('/') + 1)) + database,
                "db.connection.username", USER,
                "db.connection.password", PASSWORD);
    }

    /** The JDBC URL up to the database name through which the service reaches the server. */
    protected String serverUrl(String direct) throws Exception {
        return direct;
    }

    /** A connection to the test class's database that goes straight to the server, past any proxy. */
    protected Connection connectDirectly() throws SQLException {
        return DriverManager.getConnection(URL.substring(0, URL.lastIndexOf('/') + 1) + database, USER, PASSWORD);
    }

    @Override
    protected void drop() throws Exception {
        if (database == null) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
