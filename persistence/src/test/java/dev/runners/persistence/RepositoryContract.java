package dev.runners.persistence;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What every repository contract shares: a migrated database of its own for the class (embedded or
 * PostgreSQL, by the subclass's {@link TestStore}), dropped after it, and organizations made on it.
 * A subclass opens its repositories in a {@code @BeforeAll} of its own, which runs after this one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RepositoryContract {
    private final TestStore store;
    private final AtomicInteger numbers = new AtomicInteger();
    Database database;
    JdbcOrganizationRepository tenants;

    RepositoryContract(TestStore store) {
        this.store = store;
    }

    @BeforeAll
    final void openTheStore() throws Exception {
        database = store.open(getClass().getSimpleName());
        database.migrate();
        tenants = new JdbcOrganizationRepository(database);
    }

    @AfterAll
    final void dropTheStore() throws Exception {
        if (database != null) {
            database.close();
        }
        store.drop();
    }

    /** A number not given before in this class: for unique names and keys. */
    final int next() {
        return numbers.incrementAndGet();
    }

    /** A new organization, created at {@code at}. */
    final long organization(Instant at) {
        return tenants.create("org-" + next(), "Organization", at).id();
    }
}
