package dev.runners.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test class on the server named by the system properties
 * {@code runners.test.postgres.url|username|password}, dropped afterwards. When the server does not
 * answer, the class fails if {@code runners.test.postgres.required=true} (as in CI), else it is
 * reported as aborted with the reason. The one copy of this for the whole build: persistence's
 * repository tests and the server's HTTP tests (through this module's test jar) both use it.
 */
public final class TestPostgres {
    private static final String URL = System.getProperty("runners.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getProperty("runners.test.postgres.username", "postgres");
    private static final String PASSWORD = System.getProperty("runners.test.postgres.password", "postgres");
    private static final boolean REQUIRED = Boolean.getBoolean("runners.test.postgres.required");

    private final String prefix;
    private String database;

    /** @param prefix starts the name of each database made, so a stray one tells which suite left it */
    public TestPostgres(String prefix) {
        this.prefix = prefix;
    }

    /** Creates the test class's database; fails or aborts the class when the server does not answer. */
    public void create(String testClass) {
        String name = (prefix + testClass + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            // the name is made here from a class name and a UUID, never from input
            statement.execute("CREATE DATABASE " + name);
            database = name;
        } catch (SQLException e) {
            if (REQUIRED) {
                throw new IllegalStateException("PostgreSQL is required (runners.test.postgres.required=true) but "
                        + URL + " does not answer: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL at " + URL + " does not answer (" + e.getMessage()
                    + "); set runners.test.postgres.required=true to make this a failure");
        }
    }

    /** The JDBC URL of the server up to the database name, such as {@code jdbc:postgresql://host:5432/}. */
    public static String serverUrl() {
        return URL.substring(0, URL.lastIndexOf('/') + 1);
    }

    /** The name of the database {@link #create} made. */
    public String database() {
        return database;
    }

    public static String username() {
        return USER;
    }

    public static String password() {
        return PASSWORD;
    }

    /** A connection to the test class's database, straight to the server. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(serverUrl() + database, USER, PASSWORD);
    }

    /** Drops the database, ending its sessions; nothing when none was made. */
    public void drop() throws SQLException {
        if (database == null) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        database = null;
    }
}
