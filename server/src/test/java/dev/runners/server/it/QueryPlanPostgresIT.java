package dev.runners.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runners.domain.PodStatus;
import dev.runners.persistence.NamedStatements;
import dev.runners.server.support.OnPostgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query of the read path and of the writes that lock or count can be served by an index:
 * with sequential scans priced out, PostgreSQL's plan for the named statement has none.
 */
@OnPostgres
class QueryPlanPostgresIT {
    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([a-z_][a-z0-9_]*)");

    @ParameterizedTest
    @ValueSource(strings = {"runners-page", "runners-available-page", "runners-available-page-all", "runner-by-id", "runner-by-id-for-update",
            "runner-by-name", "pods-page", "pod-by-key", "runner-count-pods-postgresql", "pod-insert-new-postgresql", "api-key-by-hash",
            "api-keys-page", "organization-by-slug", "runner-labels-delete", "runners-page-all",
            "pod-insert-new", "organization-count-runners", "pods-page-all", "runner-heartbeat-quiet-postgresql",
            "events-pending-take-postgresql", "events-number-taken-postgresql", "runners-timed-out", "runner-claim-timeout"})
    void isServedByAnIndex(String name) throws Exception {
        String sql = statements().get(name);
        List<String> order = new ArrayList<>();
        Matcher m = PARAMETER.matcher(sql);
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            order.add(m.group(1));
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        try (Connection c = DriverManager.getConnection(System.getProperty("db.connection.url"),
                System.getProperty("db.connection.username"), System.getProperty("db.connection.password"))) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL enable_seqscan = off");
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + jdbc)) {
                for (int i = 0; i < order.size(); i++) {
                    explain.setObject(i + 1, sample(order.get(i)));
                }
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            }
            c.rollback();
            assertFalse(plan.toString().contains("Seq Scan"), name + " needs a sequential scan:\n" + plan);
            assertTrue(plan.toString().contains("Index"), name + " uses no index:\n" + plan);
        }
    }

    /**
     * A page of a large organization whose runners come after another's (bench-b's 10,000 after bench-a's
     * 1,000): with the organization as an equality and the order by id alone, PostgreSQL walked the primary
     * key from the first runner of the table and dropped the other organization's runners on the way. The
     * unfiltered list walks the organization's own entries, planned for these values (as the first calls
     * are) and for any value (the plan PostgreSQL keeps for later calls), as the available list does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"force_custom_plan", "force_generic_plan"})
    void aLargeOrganizationsPageWalksOnlyItsOwnRunners(String planCacheMode) throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty("db.connection.url"),
                System.getProperty("db.connection.username"), System.getProperty("db.connection.password"))) {
            c.setAutoCommit(false);
            long small = organizationWith(c, "plan-small", 1000);
            long large = organizationWith(c, "plan-large", 10000);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE runners");
                s.execute("SET LOCAL plan_cache_mode = " + planCacheMode);
            }
            for (long organization : List.of(large, small)) {
                String plan = plan(c, "runners-page-all", Map.of("organization_id", organization, "limit", 10));
                assertFalse(plan.contains("runners_pkey"), "the page walks the primary key:\n" + plan);
                assertFalse(plan.contains("Seq Scan"), "the page reads the table:\n" + plan);
            }
            if (planCacheMode.equals("force_generic_plan")) {
                // the plan kept for any organization walks the index (one planned for the large one
                // may read the table to count its candidates, 10,000 of 11,000 runners)
                String plan = plan(c, "runners-available-page-all", Map.of("organization_id", small, "limit", 10));
                assertFalse(plan.contains("Seq Scan"), "the available page reads the table:\n" + plan);
            }
            c.rollback();
        }
    }

    private static long organizationWith(Connection c, String slug, int runners) throws Exception {
        long id;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO organizations (slug, name, created_at) VALUES (?, ?, now()) RETURNING id")) {
            insert.setString(1, slug);
            insert.setString(2, slug);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                id = rows.getLong(1);
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO runners (organization_id, name, reported_status,"
                + " version, os, arch, labels, pod_count, max_pods, last_heartbeat_at, created_at)"
                + " SELECT ?, 'runner-' || g, 'online', '1.0', 'linux', 'amd64', '', 0, 10, now() + INTERVAL '1 hour', now()"
                + " FROM generate_series(1, ?) g")) {
            insert.setLong(1, id);
            insert.setInt(2, runners);
            insert.executeUpdate();
        }
        return id;
    }

    /**
     * EXPLAIN EXECUTE of a named statement, prepared with numbered parameters as the driver prepares it,
     * with the given values (samples for the others): planned as plan_cache_mode says.
     */
    private static String plan(Connection c, String name, Map<String, Object> values) throws Exception {
        List<String> order = new ArrayList<>();
        Matcher m = PARAMETER.matcher(statements().get(name));
        StringBuilder numbered = new StringBuilder();
        while (m.find()) {
            if (!order.contains(m.group(1))) {
                order.add(m.group(1));
            }
            m.appendReplacement(numbered, "\\$" + (order.indexOf(m.group(1)) + 1));
        }
        m.appendTail(numbered);
        List<String> arguments = new ArrayList<>();
        for (String parameter : order) {
            Object value = values.containsKey(parameter) ? values.get(parameter) : sample(parameter);
            arguments.add(value instanceof Number ? value.toString() : "'" + value + "'");
        }
        StringBuilder plan = new StringBuilder();
        try (Statement s = c.createStatement()) {
            s.execute("PREPARE planned AS " + numbered);
            try (ResultSet rows = s.executeQuery("EXPLAIN EXECUTE planned(" + String.join(", ", arguments) + ")")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            s.execute("DEALLOCATE planned");
        }
        return plan.toString();
    }

    private static Object sample(String parameter) {
        Map<String, Object> values = new HashMap<>();
        values.put("heartbeat_cutoff", OffsetDateTime.now());
        values.put("label_count", 1);
        values.put("limit", 50);
        values.put("offset", 0);
        // count deltas, and the weights of the statuses in a pods page's total
        values.put("delta", 1);
        values.put("active", 1);
        values.put("max_pods", 4);
        values.put("heartbeat_not_before", OffsetDateTime.now());
        // a numbering pass's events and their bodies
        values.put("ids", new long[] {1L});
        values.put("bodies", new String[] {"value"});
        // the quiet heartbeats of the moment, one value of each per heartbeat
        values.put("runner_ids", new long[] {1L, 2L});
        values.put("organization_ids", new long[] {1L, 1L});
        values.put("reported_statuses", new String[] {"online", "online"});
        values.put("heartbeats_not_before", new String[] {"2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"});
        for (String each : List.of("versions", "oses", "arches", "label_sets", "max_pods_each")) {
            values.put(each, new String[] {null, null});
        }
        values.put("heartbeats_at", new String[] {"2026-01-01T00:01:00Z", "2026-01-01T00:01:00Z"});
        for (PodStatus status : PodStatus.values()) {
            values.put(status.wireName(), 1);
        }
        if (values.containsKey(parameter)) {
            return values.get(parameter);
        }
        if (parameter.equals("id") || parameter.endsWith("_id")) {
            return parameter.equals("agent_type_id") ? "claude-code" : 1L;
        }
        if (parameter.endsWith("_at") || parameter.equals("stale_before")) {
            return OffsetDateTime.now();
        }
        return parameter.startsWith("status") ? "running" : "value";
    }

    /** The statements as the service runs them, their fragments expanded. */
    private static Map<String, String> statements() {
        return NamedStatements.load();
    }
}
