package dev.runners.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.FeedEvent;
import dev.runners.domain.LabelSet;
import dev.runners.domain.RunnerRegistration;
import dev.runners.persistence.Database;
import dev.runners.persistence.JdbcEventRepository;
import dev.runners.persistence.JdbcRunnerRepository;
import dev.runners.persistence.TestEvents;
import io.helidon.config.Config;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A change feed stored by version 5.1 of the schema goes on after the upgrade (a database of its own per class). */
abstract class FeedUpgradeContract {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final String url = System.getProperty("db.connection.url");
    private final String username = System.getProperty("db.connection.username");
    private final String password = System.getProperty("db.connection.password");

    /**
     * Issue 7: a database with a change feed as version 5.1 numbered it (under the counter's lock, in
     * each write) is upgraded in place, and the feed goes on from its last version without a gap.
     */
    @Test
    void aChangeFeedOfVersion51GoesOnFromItsLastVersionAfterTheUpgrade() throws SQLException {
        var installed = Flyway.configure().dataSource(url, username, password).locations(allLocations()).target("5.1").load()
                .migrate();
        assertNull(installed.initialSchemaVersion, "the database starts empty");
        assertEquals("5.1", installed.targetSchemaVersion);
        long acme;
        try (Connection c = DriverManager.getConnection(url, username, password)) {
            acme = SchemaUpgradeContract.organization(c, "feed-acme");
            long runner = SchemaUpgradeContract.runner(c, acme, "feed-runner", 0);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO event_counters (organization_id, version) VALUES (" + acme + ", 3)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO runner_events (organization_id, version,"
                    + " event_type, runner_id, occurred_at, body) VALUES (?, ?, 'runner.changed', ?, ?, ?)")) {
                for (long version = 1; version <= 3; version++) {
                    insert.setLong(1, acme);
                    insert.setLong(2, version);
                    insert.setLong(3, runner);
                    insert.setObject(4, OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
                    insert.setString(5, TestEvents.json(version, "runner.changed"));
                    insert.executeUpdate();
                }
            }
        }

        try (Database database = Database.open(config())) {
            database.migrate();
            var journal = TestEvents.journal(database);
            var runners = new JdbcRunnerRepository(database, new AvailabilityPolicy(Clock.systemUTC(), Duration.ofSeconds(90)),
                    journal);
            var events = new JdbcEventRepository(database, journal);
            runners.register(acme, new RunnerRegistration("after-upgrade", "1.0", "linux", "amd64", LabelSet.empty(), 5), NOW);
            runners.register(acme, new RunnerRegistration("after-upgrade-2", "1.0", "linux", "amd64", LabelSet.empty(), 5), NOW);
            List<FeedEvent> feed = events.after(acme, 0, 100);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), feed.stream().map(FeedEvent::version).toList());
            assertEquals(TestEvents.json(4, "runner.registered"), feed.get(3).json());
            assertEquals(TestEvents.json(5, "runner.registered"), feed.get(4).json());
            assertEquals(5, events.currentVersion(acme));
        }
    }

    private String[] allLocations() {
        List<String> locations = new ArrayList<>(List.of("classpath:db/migration/common"));
        locations.add(postgres() ? "classpath:db/migration/postgresql" : "classpath:db/migration/h2");
        return locations.toArray(String[]::new);
    }

    private boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    private Config config() {
        return SchemaUpgradeContract.config(url, username, password);
    }
}
