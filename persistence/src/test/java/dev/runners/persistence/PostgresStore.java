package dev.runners.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database per test class on the server named by {@code runners.test.postgres.*},
 * dropped afterwards; like the server's tests, a server that does not answer fails the class when
 * {@code runners.test.postgres.required=true}, else aborts it with the reason.
 */
final class PostgresStore extends TestStore {
    private static final String URL = System.getProperty("runners.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getProperty("runners.test.postgres.username", "postgres");
    private static final String PASSWORD = System.getProperty("runners.test.postgres.password", "postgres");
    private static final boolean REQUIRED = Boolean.getBoolean("runners.test.postgres.required");

    private String database;

    @Override
    Map<String, String> create(String testClass) throws Exception {
        database = ("runners_repo_" + testClass + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            // the name is made here from a class name and a UUID, never from input
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            database = null;
            if (REQUIRED) {
                throw new IllegalStateException("PostgreSQL is required (runners.test.postgres.required=true) but "
                        + URL + " does not answer: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL at " + URL + " does not answer (" + e.getMessage()
                    + "); set runners.test.postgres.required=true to make this a failure");
        }
        return Map.of(
                "connection.url", URL.substring(0, URL.lastIndexOf('/') + 1) + database,
                "connection.username", USER,
                "connection.password", PASSWORD);
    }

    @Override
    void drop() throws Exception {
        if (database == null) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
