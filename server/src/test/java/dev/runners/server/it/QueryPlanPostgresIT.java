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
    @ValueSource(strings = {"runners-page", "runners-available-page", "runner-by-id", "runner-by-id-for-update",
            "runner-by-name", "pods-page", "pod-by-key", "runner-count-pods-postgresql", "pod-insert-new-counted-postgresql", "api-key-by-hash",
            "api-keys-page", "organization-by-slug", "runner-labels-delete", "runners-page-all",
            "pod-insert-new", "organization-count-runners", "pods-page-all", "runner-heartbeat-quiet-postgresql",
            "events-number-pending-postgresql", "runners-timed-out", "runner-claim-timeout"})
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
