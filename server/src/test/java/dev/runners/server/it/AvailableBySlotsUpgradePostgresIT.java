package dev.runners.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.LabelSet;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.Runner;
import dev.runners.persistence.Database;
import dev.runners.persistence.JdbcRunnerRepository;
import dev.runners.persistence.TestEvents;
import dev.runners.server.support.PostgresDatabase;
import io.helidon.config.Config;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A populated PostgreSQL database from before V7 gets the index of the available list in place,
 * and the list read from it is the same: most free slots first, then by id, only available
 * runners, its total all of them; the page walks the index rather than sorting the candidates.
 */
@ExtendWith(PostgresDatabase.class)
class AvailableBySlotsUpgradePostgresIT {
    /** The newest migration before V7 on this branch. */
    private static final String BEFORE_V7 = "5.1";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final String url = System.getProperty("db.connection.url");
    private final String username = System.getProperty("db.connection.username");
    private final String password = System.getProperty("db.connection.password");

    @Test
    void aPopulatedDatabaseGetsTheIndexAndListsTheSameRunnersInTheSameOrder() throws SQLException {
        Flyway.configure().dataSource(url, username, password)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql")
                .target(BEFORE_V7).load().migrate();
        long acme;
        long other;
        OffsetDateTime fresh = NOW.minusSeconds(10).atOffset(ZoneOffset.UTC);
        OffsetDateTime stale = NOW.minusSeconds(600).atOffset(ZoneOffset.UTC);
        try (Connection c = DriverManager.getConnection(url, username, password)) {
            acme = SchemaUpgradeContract.organization(c, "acme");
            other = SchemaUpgradeContract.organization(c, "other");
            runner(c, acme, "two-free", "online", 3, 5, true, fresh);
            runner(c, acme, "four-free-a", "online", 1, 5, true, fresh);
            runner(c, acme, "four-free-b", "online", 0, 4, true, fresh);
            runner(c, acme, "one-free", "online", 9, 10, true, fresh);
            runner(c, acme, "full", "online", 5, 5, true, fresh);
            runner(c, acme, "cordoned", "online", 0, 10, false, fresh);
            runner(c, acme, "said-offline", "offline", 0, 10, true, fresh);
            runner(c, acme, "timed-out", "online", 0, 10, true, stale);
            runner(c, acme, "never-beat", "online", 0, 10, true, null);
            runner(c, other, "elsewhere", "online", 0, 10, true, fresh);
        }

        try (Database database = Database.open(config())) {
            database.migrate();
            var runners = new JdbcRunnerRepository(database,
                    new AvailabilityPolicy(Clock.systemUTC(), Duration.ofSeconds(90)), TestEvents.journal(database));

            Page<Runner> all = runners.availablePage(acme, LabelSet.empty(), new PageRequest(100, 0), NOW);
            assertEquals(List.of("four-free-a", "four-free-b", "two-free", "one-free"), names(all));
            assertEquals(4, all.total());
            Page<Runner> second = runners.availablePage(acme, LabelSet.empty(), new PageRequest(2, 2), NOW);
            assertEquals(List.of("two-free", "one-free"), names(second));
            assertEquals(4, second.total());
            Page<Runner> beyond = runners.availablePage(acme, LabelSet.empty(), new PageRequest(2, 10), NOW);
            assertEquals(List.of(), names(beyond));
            assertEquals(4, beyond.total());
            assertEquals(List.of("elsewhere"),
                    names(runners.availablePage(other, LabelSet.empty(), new PageRequest(100, 0), NOW)));
        }

        try (Connection c = DriverManager.getConnection(url, username, password)) {
            String plan = pagePlan(c, acme);
            assertTrue(plan.contains("runners_available_by_free_slots"), "the page walks the new index:\n" + plan);
            assertFalse(plan.contains("Sort"), "the page is read in the index's order:\n" + plan);
        }
    }

    /**
     * The plan of the page half of runners-available-page (no labels), with scans and sorts priced
     * out: a table this small would be read whole; the question is whether the index gives the order.
     */
    static String pagePlan(Connection c, long organization) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL enable_seqscan = off");
            s.execute("SET LOCAL enable_sort = off");
        }
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement explain = c.prepareStatement("EXPLAIN SELECT r.id FROM runners r"
                + " WHERE r.organization_id = ? AND r.schedulable = TRUE AND r.reported_status = 'online'"
                + " AND r.last_heartbeat_at >= ? AND r.pod_count < r.max_pods"
                + " ORDER BY r.max_pods - r.pod_count DESC, r.id LIMIT 2")) {
            explain.setLong(1, organization);
            explain.setObject(2, NOW.minusSeconds(90).atOffset(ZoneOffset.UTC));
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
        }
        c.rollback();
        return plan.toString();
    }

    private static List<String> names(Page<Runner> page) {
        return page.items().stream().map(Runner::name).toList();
    }

    private Config config() {
        return SchemaUpgradeContract.config(url, username, password);
    }

    private static void runner(Connection c, long organization, String name, String reported, int podCount, int maxPods,
                               boolean schedulable, OffsetDateTime lastHeartbeat) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO runners (organization_id, name, reported_status,"
                + " version, os, arch, labels, pod_count, max_pods, schedulable, last_heartbeat_at, created_at)"
                + " VALUES (?, ?, ?, '1.0', 'linux', 'amd64', '', ?, ?, ?, ?, ?)")) {
            insert.setLong(1, organization);
            insert.setString(2, name);
            insert.setString(3, reported);
            insert.setInt(4, podCount);
            insert.setInt(5, maxPods);
            insert.setBoolean(6, schedulable);
            insert.setObject(7, lastHeartbeat);
            insert.setObject(8, OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }
}
