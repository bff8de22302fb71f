package dev.runners.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runners.server.support.Admin;
import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.PostgresDatabase;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Operations": two instances of the packaged service, started at the same moment on one empty
 * PostgreSQL database, behave as one service: the schema is migrated once (Flyway's lock), what
 * one instance writes the other reads, and a key revoked through one stops working on the other
 * within a second.
 */
@ExtendWith(PostgresDatabase.class)
class FleetPostgresIT {
    private static final Duration START = Duration.ofSeconds(180);

    private static List<ServiceProcess> fleet = List.of();
    private static Http a;
    private static Http b;

    @BeforeAll
    static void startTwoInstancesTogetherOnTheEmptyDatabase() {
        fleet = ServiceProcess.startTogether(Map.of(
                "DB_CONNECTION_URL", System.getProperty("db.connection.url"),
                "DB_CONNECTION_USERNAME", System.getProperty("db.connection.username"),
                "DB_CONNECTION_PASSWORD", System.getProperty("db.connection.password"),
                "DB_CONNECTION_MAXIMUMPOOLSIZE", "4",
                "RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN), 2, START);
        a = fleet.get(0).http();
        b = fleet.get(1).http();
    }

    @AfterAll
    static void stopThem() {
        fleet.forEach(ServiceProcess::close);
    }

    @Test
    void bothInstancesMigratedTheEmptyDatabaseAsOne() throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(System.getProperty("db.connection.url"),
                System.getProperty("db.connection.username"), System.getProperty("db.connection.password"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rows.next()) {
                assertTrue(rows.getBoolean("success"), "migration " + rows.getString("version") + " failed");
                versions.add(rows.getString("version"));
            }
        }
        assertFalse(versions.isEmpty());
        assertEquals(versions.stream().distinct().toList(), versions, "a migration applied twice: " + versions);
        for (ServiceProcess service : fleet) {
            assertEquals(200, service.readinessStatus(), service::output);
        }
    }

    @Test
    void whatOneInstanceWritesTheOtherReads() {
        Fixtures throughA = new Fixtures(a);
        Fixtures throughB = new Fixtures(b);
        String slug = throughA.organization();
        String write = throughA.key(slug, "runners:write");

        long id = throughA.runner(write, "agent-1", List.of("gpu"), 4);
        JsonObject seenByB = b.get("/api/v1/runners/" + id, Fixtures.bearer(write)).json().getJsonObject("runner");
        assertEquals("agent-1", seenByB.getString("name"));
        assertEquals("offline", seenByB.getString("status"));

        throughB.heartbeat(write, id, "online");
        JsonObject available = a.get("/api/v1/runners/available?label=gpu", Fixtures.bearer(write)).json();
        assertEquals(id, available.getJsonArray("runners").getJsonObject(0).getJsonNumber("id").longValue(), available::toString);
    }

    @Test
    void aKeyRevokedThroughOneInstanceStopsWorkingOnTheOtherWithinASecond() {
        String slug = new Fixtures(a).organization();
        JsonObject created = new Admin(a).key(slug, "{\"name\":\"doomed\",\"scopes\":[\"runners:read\"]}");
        String secret = created.getString("secret");
        long keyId = created.getJsonObject("api_key").getJsonNumber("id").longValue();
        assertEquals(200, b.get("/api/v1/runners", Fixtures.bearer(secret)).status());

        assertEquals(204, new Admin(a).revokeKey(slug, keyId, "Authorization", Fixtures.ADMIN).status());
        Instant revoked = Instant.now();
        Http.Reply onB = b.get("/api/v1/runners", Fixtures.bearer(secret));
        while (onB.status() == 200 && Duration.between(revoked, Instant.now()).toMillis() < 1000) {
            ServiceProcess.pause(Duration.ofMillis(50));
            onB = b.get("/api/v1/runners", Fixtures.bearer(secret));
        }
        assertEquals(401, onB.status(), "instance B, " + Duration.between(revoked, Instant.now()).toMillis()
                + " ms after the revocation: " + onB);
    }
}
