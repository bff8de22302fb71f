package dev.runners.persistence;

import java.util.Map;
import java.util.UUID;

/** An H2 database in memory, with the options the service uses for its embedded file database. */
final class EmbeddedStore extends TestStore {
    @Override
    Map<String, String> create(String testClass) {
        return Map.of(
                "connection.url", "jdbc:h2:mem:" + testClass + "_" + UUID.randomUUID()
                        + ";DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1",
                "connection.username", "runners",
                "connection.password", "runners");
    }

    @Override
    void drop() {
        // closing the pool is not enough for DB_CLOSE_DELAY=-1, but the JVM ends with the test run
    }
}
