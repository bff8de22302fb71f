package dev.runners.server.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import dev.runners.persistence.TestPostgres;

/**
 * A fresh PostgreSQL database per test class (persistence's {@link TestPostgres}: the server named
 * by {@code runners.test.postgres.*}, required or not), pointed to by the service's config.
 */
public class PostgresDatabase extends TestDatabase {
    private final TestPostgres postgres = new TestPostgres("runners_it_");

    @Override
    protected Map<String, String> create(String testClass) throws Exception {
        postgres.create(testClass);
        return Map.of(
                "db.connection.url", serverUrl(TestPostgres.serverUrl()) + postgres.database(),
                "db.connection.username", TestPostgres.username(),
                "db.connection.password", TestPostgres.password());
    }

    /** The JDBC URL up to the database name through which the service reaches the server. */
    protected String serverUrl(String direct) throws Exception {
        return direct;
    }

    /** A connection to the test class's database that goes straight to the server, past any proxy. */
    protected Connection connectDirectly() throws SQLException {
        return postgres.connect();
    }

    @Override
    protected void drop() throws Exception {
        postgres.drop();
    }
}
