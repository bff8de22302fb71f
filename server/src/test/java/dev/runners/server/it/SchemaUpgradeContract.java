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
import java.util.Map;
import java.util.Set;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.LabelSet;
import dev.runners.domain.PageRequest;
import dev.runners.domain.PodFilter;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.RunnerFilter;
import dev.runners.domain.RunnerRegistration;
import dev.runners.persistence.Database;
import dev.runners.persistence.TestEvents;
import dev.runners.persistence.JdbcPodRepository;
import dev.runners.persistence.JdbcRunnerRepository;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A database populated by v1 (the schema as released: migrations up to version 2) is upgraded in
 * place when the service starts, and what the new migrations maintain starts from its data.
 */
abstract class SchemaUpgradeContract {
    /** The last migration that v1 shipped on each database. */
    private static final String V1_POSTGRES = "2";
    private static final String V1_H2 = "1";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final String url = System.getProperty("db.connection.url");
    private final String username = System.getProperty("db.connection.username");
    private final String password = System.getProperty("db.connection.password");

    @Test
    void aPopulatedV1DatabaseIsUpgradedInPlaceWithItsCountsFromItsRows() throws SQLException {
        Flyway.configure().dataSource(url, username, password).locations(v1Locations()).target(postgres() ? V1_POSTGRES : V1_H2).load().migrate();
        long acme;
        long other;
        long busy;
        long idle;
        long elsewhere;
        try (Connection c = DriverManager.getConnection(url, username, password)) {
            acme = organization(c, "acme");
            other = organization(c, "other");
            busy = runner(c, acme, "busy", 5);
            idle = runner(c, acme, "idle", 0);
            elsewhere = runner(c, other, "elsewhere", 2);
            pods(c, acme, busy, "running", 3);
            pods(c, acme, busy, "paused", 2);
            pods(c, acme, busy, "completed", 4);
            pods(c, acme, busy, "error", 1);
            pods(c, other, elsewhere, "initializing", 2);
        }

        try (Database database = Database.open(config())) {
            database.migrate();
            // the upgrade is about counts; the events these writes journal are encoded as version and type
            var journal = TestEvents.journal(database);
            var runners = new JdbcRunnerRepository(database, new AvailabilityPolicy(Clock.systemUTC(), Duration.ofSeconds(90)),
                    journal);
            var pods = new JdbcPodRepository(database, journal);

            assertEquals(2, runners.page(acme, RunnerFilter.everything(), page(), NOW).total());
            assertEquals(1, runners.page(other, RunnerFilter.everything(), page(), NOW).total());
            assertEquals(10, podTotal(pods, acme, busy));
            assertEquals(4, podTotal(pods, acme, busy, PodStatus.COMPLETED));
            assertEquals(5, podTotal(pods, acme, busy, PodStatus.RUNNING, PodStatus.PAUSED));
            assertEquals(0, podTotal(pods, acme, idle));
            assertEquals(2, podTotal(pods, other, elsewhere, PodStatus.INITIALIZING));
            assertEquals(5, runners.find(acme, busy).orElseThrow().podCount());

            // the upgraded counts move with every write from here on
            pods.report(acme, busy, "new-pod", new PodUpdate(PodStatus.RUNNING, "claude-code", null), NOW);
            pods.report(acme, busy, "busy-running-1", new PodUpdate(PodStatus.COMPLETED, "claude-code", null), NOW);
            assertEquals(11, podTotal(pods, acme, busy));
            assertEquals(3, podTotal(pods, acme, busy, PodStatus.RUNNING));
            assertEquals(5, podTotal(pods, acme, busy, PodStatus.COMPLETED));
            assertEquals(5, runners.find(acme, busy).orElseThrow().podCount());

            long added = runners.register(acme, new RunnerRegistration("added", "1.0", "linux", "amd64",
                    LabelSet.empty(), 5), NOW).id();
            assertEquals(3, runners.page(acme, RunnerFilter.everything(), page(), NOW).total());
            runners.delete(acme, idle, NOW);
            runners.delete(acme, added, NOW);
            assertEquals(1, runners.page(acme, RunnerFilter.everything(), page(), NOW).total());
            assertEquals(1, runners.page(other, RunnerFilter.everything(), page(), NOW).total());
        }
    }

    private String[] v1Locations() {
        List<String> locations = new ArrayList<>(List.of("classpath:db/migration/common"));
        if (postgres()) {
            locations.add("classpath:db/migration/postgresql");
        }
        return locations.toArray(String[]::new);
    }

    private boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    private Config config() {
        return config(url, username, password);
    }

    /** The {@code db} configuration node of the database under test, as the service reads it. */
    static Config config(String url, String username, String password) {
        return Config.just(ConfigSources.create(Map.of(
                "db.source", "jdbc",
                "db.connection.url", url,
                "db.connection.username", username,
                "db.connection.password", password))).get("db");
    }

    private static PageRequest page() {
        return new PageRequest(100, 0);
    }

    private static long podTotal(JdbcPodRepository pods, long organization, long runner, PodStatus... statuses) {
        return pods.page(organization, runner, new PodFilter(Set.of(statuses)), page()).orElseThrow().total();
    }

    static long organization(Connection c, String slug) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO organizations (slug, name, created_at) VALUES (?, ?, ?)")) {
            insert.setString(1, slug);
            insert.setString(2, slug);
            insert.setObject(3, OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
            insert.executeUpdate();
        }
        return id(c, "SELECT id FROM organizations WHERE slug = '" + slug + "'");
    }

    /** A runner as v1 stored it, with the pod_count that v1 kept (its active pods). */
    static long runner(Connection c, long organization, String name, int activePods) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO runners (organization_id, name, reported_status,"
                + " version, os, arch, labels, pod_count, max_pods, last_heartbeat_at, created_at)"
                + " VALUES (?, ?, 'online', '1.0', 'linux', 'amd64', '', ?, 10, NULL, ?)")) {
            insert.setLong(1, organization);
            insert.setString(2, name);
            insert.setInt(3, activePods);
            insert.setObject(4, OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
            insert.executeUpdate();
        }
        return id(c, "SELECT id FROM runners WHERE name = '" + name + "'");
    }

    private static void pods(Connection c, long organization, long runner, String status, int count) throws SQLException {
        String name;
        try (Statement s = c.createStatement(); var rows = s.executeQuery("SELECT name FROM runners WHERE id = " + runner)) {
            rows.next();
            name = rows.getString(1);
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO pods (organization_id, runner_id, pod_key, status,"
                + " agent_type_id, initial_prompt, created_at, updated_at) VALUES (?, ?, ?, ?, 'claude-code', NULL, ?, ?)")) {
            for (int i = 1; i <= count; i++) {
                OffsetDateTime at = OffsetDateTime.of(2025, 1, 1, 0, 0, i, 0, ZoneOffset.UTC);
                insert.setLong(1, organization);
                insert.setLong(2, runner);
                insert.setString(3, name + "-" + status + "-" + i);
                insert.setString(4, status);
                insert.setObject(5, at);
                insert.setObject(6, at);
                insert.executeUpdate();
            }
        }
    }

    /** One pod as a version before this one stored it, created and updated at {@code at}. */
    static void pod(Connection c, long organization, long runner, String key, String status, OffsetDateTime at)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO pods (organization_id, runner_id, pod_key, status,"
                + " agent_type_id, initial_prompt, created_at, updated_at) VALUES (?, ?, ?, ?, 'claude-code', NULL, ?, ?)")) {
            insert.setLong(1, organization);
            insert.setLong(2, runner);
            insert.setString(3, key);
            insert.setString(4, status);
            insert.setObject(5, at);
            insert.setObject(6, at);
            insert.executeUpdate();
        }
    }

    /** The rows of {@code query} as text, one line per row, its columns joined by '|'. */
    static List<String> rows(String url, String username, String password, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, username, password);
             Statement s = c.createStatement(); var rows = s.executeQuery(query)) {
            List<String> lines = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    line.append(i > 1 ? "|" : "").append(rows.getString(i));
                }
                lines.add(line.toString());
            }
            return lines;
        }
    }

    private static long id(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); var rows = s.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
