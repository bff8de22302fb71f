package dev.runners.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import dev.runners.domain.FeedEvent;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.persistence.Database;
import dev.runners.persistence.JdbcEventRepository;
import dev.runners.persistence.JdbcPodRepository;
import dev.runners.persistence.TestEvents;
import dev.runners.server.support.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V9 (PostgreSQL): pending events may also be stored as their facts. A database of version 8 with an
 * event left pending (its instance stopped between the write's commit and the numbering pass) is
 * upgraded in place; that event and a new pod's, stored as facts after the upgrade, are numbered in
 * the order of their writes.
 */
@ExtendWith(PostgresDatabase.class)
class PendingEventsUpgradePostgresIT {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final String url = System.getProperty("db.connection.url");
    private final String username = System.getProperty("db.connection.username");
    private final String password = System.getProperty("db.connection.password");

    @Test
    void anEventLeftPendingByVersion8IsNumberedBeforeTheNewPodsAfterTheUpgrade() throws SQLException {
        var installed = Flyway.configure().dataSource(url, username, password)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").target("8").load().migrate();
        assertEquals("8", installed.targetSchemaVersion);
        long acme;
        long runner;
        try (Connection c = DriverManager.getConnection(url, username, password)) {
            acme = SchemaUpgradeContract.organization(c, "pending-acme");
            runner = SchemaUpgradeContract.runner(c, acme, "pending-runner", 0);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO event_counters (organization_id, version) VALUES (" + acme + ", 0)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO pending_events (organization_id, event_type,"
                    + " runner_id, occurred_at, body_after_version) VALUES (?, 'runner.changed', ?, ?, ?)")) {
                insert.setLong(1, acme);
                insert.setLong(2, runner);
                insert.setObject(3, OffsetDateTime.of(2025, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC));
                insert.setString(4, "\"type\":\"runner.changed\",\"left\":\"pending\"}");
                insert.executeUpdate();
            }
        }

        try (Database database = Database.open(SchemaUpgradeContract.config(url, username, password))) {
            database.migrate();
            var journal = TestEvents.journal(database);
            var pods = new JdbcPodRepository(database, journal);
            var events = new JdbcEventRepository(database, journal);
            var report = pods.report(acme, runner, "after-upgrade", new PodUpdate(PodStatus.RUNNING, "claude-code", null), NOW);
            assertTrue(report.created());
            List<FeedEvent> feed = events.after(acme, 0, 100);
            assertEquals(List.of(1L, 2L), feed.stream().map(FeedEvent::version).toList());
            assertEquals("{\"version\":1,\"type\":\"runner.changed\",\"left\":\"pending\"}", feed.get(0).json());
            assertEquals(TestEvents.json(2, "pod.changed"), feed.get(1).json());
            assertEquals(2, events.currentVersion(acme));
        }
    }
}
