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
import java.util.Map;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V11 (PostgreSQL): a pod's key is its primary key, a pending event's key is (organization, id), and
 * the events no longer reference their organization (a trigger removes them with it). A populated
 * database of version 10, with an event left pending and events already numbered, is upgraded in
 * place: its rows are kept, a pod key is still unique within an organization and free across them,
 * the pending event and a new pod's are numbered in order, and deleting an organization still takes
 * its runners, pods and events with it and nothing of another organization's.
 */
@ExtendWith(PostgresDatabase.class)
class EventReferencesUpgradePostgresIT {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final OffsetDateTime BEFORE = OffsetDateTime.of(2025, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

    private final String url = System.getProperty("db.connection.url");
    private final String username = System.getProperty("db.connection.username");
    private final String password = System.getProperty("db.connection.password");

    @Test
    void aPopulatedVersion10DatabaseKeepsItsRowsKeysOrderAndCascade() throws SQLException {
        var installed = Flyway.configure().dataSource(url, username, password)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").target("10").load().migrate();
        assertEquals("10", installed.targetSchemaVersion);
        long acme;
        long other;
        long runner;
        long otherRunner;
        try (Connection c = DriverManager.getConnection(url, username, password); Statement s = c.createStatement()) {
            acme = SchemaUpgradeContract.organization(c, "refs-acme");
            other = SchemaUpgradeContract.organization(c, "refs-other");
            runner = SchemaUpgradeContract.runner(c, acme, "refs-runner", 1);
            otherRunner = SchemaUpgradeContract.runner(c, other, "refs-other-runner", 1);
            pod(c, acme, runner, "shared-key");
            pod(c, other, otherRunner, "shared-key");
            s.executeUpdate("INSERT INTO event_counters (organization_id, version) VALUES (" + acme + ", 1), (" + other + ", 1)");
            event(c, acme, runner, "{\"version\":1,\"type\":\"runner.changed\",\"numbered\":\"acme\"}");
            event(c, other, otherRunner, "{\"version\":1,\"type\":\"runner.changed\",\"numbered\":\"other\"}");
            try (PreparedStatement pending = c.prepareStatement("INSERT INTO pending_events (organization_id, event_type,"
                    + " runner_id, occurred_at, body_after_version) VALUES (?, 'runner.changed', ?, ?, ?)")) {
                pending.setLong(1, acme);
                pending.setLong(2, runner);
                pending.setObject(3, BEFORE);
                pending.setString(4, "\"type\":\"runner.changed\",\"left\":\"pending\"}");
                pending.executeUpdate();
            }
        }
        String podsBefore = rows("SELECT organization_id, runner_id, pod_key, status FROM pods ORDER BY organization_id");
        String eventsBefore = rows("SELECT organization_id, version, body FROM runner_events ORDER BY organization_id, version");

        try (Database database = Database.open(SchemaUpgradeContract.config(url, username, password))) {
            database.migrate();
            assertEquals(podsBefore, rows("SELECT organization_id, runner_id, pod_key, status FROM pods ORDER BY organization_id"));
            assertEquals(eventsBefore, rows("SELECT organization_id, version, body FROM runner_events"
                    + " ORDER BY organization_id, version"));
            assertEquals("organization_id,pod_key", rows("SELECT string_agg(a.attname, ',' ORDER BY k.n)"
                    + " FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
                    + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                    + " WHERE i.indrelid = 'pods'::regclass AND i.indisprimary"));

            try (Connection c = DriverManager.getConnection(url, username, password)) {
                SQLException taken = assertThrows(SQLException.class, () -> pod(c, acme, runner, "shared-key"));
                assertEquals("23505", taken.getSQLState(), "a pod key stays unique within its organization");
                pod(c, acme, runner, "acme-only-key");
            }

            var journal = TestEvents.journal(database);
            var pods = new JdbcPodRepository(database, journal);
            var events = new JdbcEventRepository(database, journal);
            assertTrue(pods.report(acme, runner, "after-upgrade", new PodUpdate(PodStatus.RUNNING, "claude-code", null), NOW)
                    .created());
            assertFalse(pods.report(acme, runner, "after-upgrade", new PodUpdate(PodStatus.PAUSED, "claude-code", null), NOW)
                    .created());
            List<FeedEvent> feed = events.after(acme, 1, 100);
            assertEquals(List.of(2L, 3L, 4L), feed.stream().map(FeedEvent::version).toList());
            assertEquals("{\"version\":2,\"type\":\"runner.changed\",\"left\":\"pending\"}", feed.get(0).json());
            assertEquals(TestEvents.json(3, "pod.changed"), feed.get(1).json());
            assertEquals(1, events.currentVersion(other));
        }

        try (Connection c = DriverManager.getConnection(url, username, password); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO pending_events (organization_id, event_type, runner_id, occurred_at,"
                    + " body_after_version) VALUES (" + acme + ", 'runner.deleted', " + runner + ", now(), '{}')");
            assertEquals(1, s.executeUpdate("DELETE FROM organizations WHERE id = " + acme));
        }
        Map<String, String> othersLeft = Map.of("runners", "1", "pods", "1", "pending_events", "0", "runner_events", "1",
                "event_counters", "1");
        for (var table : othersLeft.entrySet()) {
            assertEquals("0", rows("SELECT count(*) FROM " + table.getKey() + " WHERE organization_id = " + acme),
                    table.getKey() + " of the deleted organization");
            assertEquals(table.getValue(), rows("SELECT count(*) FROM " + table.getKey() + " WHERE organization_id = " + other),
                    table.getKey() + " of another organization");
        }
    }

    private String rows(String sql) throws SQLException {
        return String.join("\n", SchemaUpgradeContract.rows(url, username, password, sql));
    }

    private static void event(Connection c, long organization, long runner, String body) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO runner_events (organization_id, version,"
                + " event_type, runner_id, occurred_at, body) VALUES (?, 1, 'runner.changed', ?, ?, ?)")) {
            insert.setLong(1, organization);
            insert.setLong(2, runner);
            insert.setObject(3, BEFORE);
            insert.setString(4, body);
            insert.executeUpdate();
        }
    }

    private static void pod(Connection c, long organization, long runner, String key) throws SQLException {
        SchemaUpgradeContract.pod(c, organization, runner, key, "running", BEFORE);
    }
}
