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
import java.util.List;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Heartbeat;
import dev.runners.domain.ReportedState;
import dev.runners.domain.Runner;
import dev.runners.persistence.Database;
import dev.runners.persistence.JdbcRunnerRepository;
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
 * V10 (PostgreSQL): the rules on the values of runners and pods move from CHECK constraints into
 * domains. A populated database of version 9 is upgraded in place: its rows are kept as they were,
 * every rule still refuses a bad value however it is written (a literal, a parameter, an expression
 * over the stored value), the bounds themselves are still accepted, a heartbeat still writes, and
 * the available list still walks its index.
 */
@ExtendWith(PostgresDatabase.class)
class ValueRulesUpgradePostgresIT {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** SQLSTATE of a CHECK violation, which a domain's rule raises too. */
    private static final String CHECK_VIOLATION = "23514";

    private final String url = System.getProperty("db.connection.url");
    private final String username = System.getProperty("db.connection.username");
    private final String password = System.getProperty("db.connection.password");

    @Test
    void aPopulatedVersion9DatabaseKeepsItsRowsAndEveryRule() throws SQLException {
        var installed = Flyway.configure().dataSource(url, username, password)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").target("9").load().migrate();
        assertEquals("9", installed.targetSchemaVersion);
        long acme;
        long busy;
        long idle;
        try (Connection c = DriverManager.getConnection(url, username, password)) {
            acme = SchemaUpgradeContract.organization(c, "rules-acme");
            busy = SchemaUpgradeContract.runner(c, acme, "rules-busy", 2);
            idle = SchemaUpgradeContract.runner(c, acme, "rules-idle", 0);
            pod(c, acme, busy, "rules-pod-1", "running");
            pod(c, acme, busy, "rules-pod-2", "paused");
            pod(c, acme, busy, "rules-pod-3", "completed");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE runners SET reported_status = 'offline' WHERE id = " + idle);
                s.executeUpdate("UPDATE runners SET last_heartbeat_at = '2025-12-31T23:59:50Z' WHERE id = " + busy);
            }
        }
        String runnersBefore = rows("SELECT id, name, reported_status, pod_count, max_pods, labels, last_heartbeat_at"
                + " FROM runners ORDER BY id");
        String podsBefore = rows("SELECT id, runner_id, pod_key, status FROM pods ORDER BY id");

        try (Database database = Database.open(SchemaUpgradeContract.config(url, username, password))) {
            database.migrate();
        }

        assertEquals(runnersBefore, rows("SELECT id, name, reported_status, pod_count, max_pods, labels, last_heartbeat_at"
                + " FROM runners ORDER BY id"));
        assertEquals(podsBefore, rows("SELECT id, runner_id, pod_key, status FROM pods ORDER BY id"));
        assertEquals(List.of("pod_status", "runner_max_pods", "runner_pod_count", "runner_reported_status"),
                lines("SELECT domain_name FROM information_schema.columns WHERE table_name IN ('runners', 'pods')"
                        + " AND domain_name IS NOT NULL ORDER BY domain_name"));

        refused("INSERT INTO runners (organization_id, name, reported_status, version, os, arch, labels, pod_count,"
                + " max_pods, created_at) VALUES (" + acme + ", 'rules-new', 'busy', '1', 'linux', 'amd64', '', 0, 10, now())");
        refused("UPDATE runners SET reported_status = 'ONLINE' WHERE id = " + idle);
        refused("UPDATE runners SET pod_count = -1 WHERE id = " + idle);
        refused("UPDATE runners SET pod_count = pod_count - 3 WHERE id = " + busy);
        refused("UPDATE runners SET max_pods = 0 WHERE id = " + idle);
        refused("UPDATE runners SET max_pods = 1001 WHERE id = " + idle);
        refused("UPDATE runners SET max_pods = max_pods * 1000 WHERE id = " + idle);
        refused("UPDATE pods SET status = 'sleeping' WHERE pod_key = 'rules-pod-1'");
        refused("INSERT INTO pods (organization_id, runner_id, pod_key, status, agent_type_id, created_at, updated_at)"
                + " VALUES (" + acme + ", " + busy + ", 'rules-pod-4', 'Running', 'claude-code', now(), now())");
        try (Connection c = DriverManager.getConnection(url, username, password);
             PreparedStatement update = c.prepareStatement("UPDATE runners SET max_pods = ?, reported_status = ? WHERE id = ?")) {
            update.setInt(1, 0);
            update.setString(2, "online");
            update.setLong(3, idle);
            assertEquals(CHECK_VIOLATION, assertThrows(SQLException.class, update::executeUpdate).getSQLState());
            update.setInt(1, 10);
            update.setString(2, "gone");
            assertEquals(CHECK_VIOLATION, assertThrows(SQLException.class, update::executeUpdate).getSQLState());
        }
        assertEquals(runnersBefore, rows("SELECT id, name, reported_status, pod_count, max_pods, labels, last_heartbeat_at"
                + " FROM runners ORDER BY id"), "a refused write changes nothing");
        assertEquals(podsBefore, rows("SELECT id, runner_id, pod_key, status FROM pods ORDER BY id"));

        try (Connection c = DriverManager.getConnection(url, username, password); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE runners SET max_pods = 1, pod_count = 0 WHERE id = " + idle));
            assertEquals(1, s.executeUpdate("UPDATE runners SET max_pods = 1000 WHERE id = " + idle));
            assertEquals(1, s.executeUpdate("UPDATE pods SET status = 'orphaned' WHERE pod_key = 'rules-pod-3'"));
        }

        try (Database database = Database.open(SchemaUpgradeContract.config(url, username, password))) {
            var runners = new JdbcRunnerRepository(database,
                    new AvailabilityPolicy(Clock.systemUTC(), Duration.ofSeconds(90)), TestEvents.journal(database));
            Heartbeat online = new Heartbeat(ReportedState.ONLINE, null, null, null, null, null);
            Runner beaten = runners.heartbeat(acme, busy, online, NOW);
            assertEquals(NOW, beaten.lastHeartbeatAt());
            assertEquals(2, beaten.podCount());
            assertEquals(ReportedState.ONLINE, beaten.reportedState());
            Runner woken = runners.heartbeat(acme, idle, online, NOW);
            assertEquals(ReportedState.ONLINE, woken.reportedState());
            assertEquals(1000, woken.maxPods());
        }

        try (Connection c = DriverManager.getConnection(url, username, password)) {
            String plan = AvailableBySlotsUpgradePostgresIT.pagePlan(c, acme);
            assertTrue(plan.contains("runners_available_by_free_slots"), "the page still walks its index:\n" + plan);
            assertFalse(plan.contains("Sort"), "the page is read in the index's order:\n" + plan);
        }
    }

    private void refused(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, username, password); Statement s = c.createStatement()) {
            SQLException refusal = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
            assertEquals(CHECK_VIOLATION, refusal.getSQLState(), sql + ": " + refusal.getMessage());
        }
    }

    private String rows(String sql) throws SQLException {
        return String.join("\n", lines(sql));
    }

    private List<String> lines(String sql) throws SQLException {
        return SchemaUpgradeContract.rows(url, username, password, sql);
    }

    private static void pod(Connection c, long organization, long runner, String key, String status) throws SQLException {
        SchemaUpgradeContract.pod(c, organization, runner, key, status, OffsetDateTime.of(2025, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }
}
