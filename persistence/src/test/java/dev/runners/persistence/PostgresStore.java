package dev.runners.persistence;

import java.util.Map;

/** A fresh PostgreSQL database per repository test class ({@link TestPostgres}). */
final class PostgresStore extends TestStore {
    private final TestPostgres postgres = new TestPostgres("runners_repo_");

    @Override
    Map<String, String> create(String testClass) {
        postgres.create(testClass);
        return Map.of(
                "connection.url", TestPostgres.serverUrl() + postgres.database(),
                "connection.username", TestPostgres.username(),
                "connection.password", TestPostgres.password());
    }

    @Override
    void drop() throws Exception {
        postgres.drop();
    }
}
