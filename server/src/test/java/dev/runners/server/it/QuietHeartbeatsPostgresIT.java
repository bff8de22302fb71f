package dev.runners.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Heartbeat;
import dev.runners.domain.ReportedState;
import dev.runners.domain.Runner;
import dev.runners.domain.UnknownResourceException;
import dev.runners.persistence.Database;
import dev.runners.persistence.JdbcRunnerRepository;
import dev.runners.persistence.TestEvents;
import dev.runners.server.support.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On PostgreSQL the quiet heartbeats of the moment share one statement (QuietHeartbeats). Under 16
 * concurrent callers, mixing one organization's quiet heartbeats, heartbeats that change a runner
 * (the locking way), several heartbeats of one runner, and another organization's callers naming the
 * first one's runners: each caller gets its own runner as its own heartbeat stored it, or 404 for a
 * runner that is not its organization's, which is left as it was.
 */
@ExtendWith(PostgresDatabase.class)
class QuietHeartbeatsPostgresIT {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int RUNNERS = 6;
    private static final int CALLERS = 16;
    private static final int CALLS_EACH = 150;

    private final String url = System.getProperty("db.connection.url");
    private final String username = System.getProperty("db.connection.username");
    private final String password = System.getProperty("db.connection.password");

    @Test
    void eachCallerGetsItsOwnHeartbeatAndNoOtherOrganizationsRunner() throws Exception {
        long acme;
        long other;
        List<Long> runners = new ArrayList<>();
        try (Database database = Database.open(SchemaUpgradeContract.config(url, username, password))) {
            database.migrate();
            try (Connection c = DriverManager.getConnection(url, username, password); Statement s = c.createStatement()) {
                acme = SchemaUpgradeContract.organization(c, "quiet-acme");
                other = SchemaUpgradeContract.organization(c, "quiet-other");
                s.executeUpdate("INSERT INTO event_counters (organization_id, version) VALUES (" + acme + ", 0), ("
                        + other + ", 0) ON CONFLICT DO NOTHING");
                for (int i = 0; i < RUNNERS; i++) {
                    runners.add(SchemaUpgradeContract.runner(c, acme, "quiet-" + i, 0));
                }
                s.executeUpdate("UPDATE runners SET last_heartbeat_at = '" + START + "' WHERE organization_id = " + acme);
            }
            AtomicLong clock = new AtomicLong();
            var repository = new JdbcRunnerRepository(database,
                    new AvailabilityPolicy(Clock.systemUTC(), Duration.ofSeconds(90)), TestEvents.journal(database));
            Map<Long, Instant> lastStored = new ConcurrentHashMap<>();
            Heartbeat online = new Heartbeat(ReportedState.ONLINE, null, null, null, null, null);
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            List<Future<?>> done = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int me = caller;
                done.add(callers.submit(() -> {
                    for (int call = 0; call < CALLS_EACH; call++) {
                        long runner = runners.get((me + call) % RUNNERS);
                        Instant now = START.plusNanos(1_000 * clock.incrementAndGet());
                        if (me % 4 == 3) {
                            assertThrows(UnknownResourceException.class,
                                    () -> repository.heartbeat(other, runner, online, now), "another organization's runner");
                            continue;
                        }
                        Heartbeat heartbeat = me % 4 == 2 && call % 10 == 0
                                ? new Heartbeat(ReportedState.ONLINE, "2." + call, null, null, null, null)
                                : online;
                        Runner answered = repository.heartbeat(acme, runner, heartbeat, now);
                        assertEquals(runner, answered.id());
                        assertEquals(now, answered.lastHeartbeatAt(), "the runner as this heartbeat stored it");
                        assertEquals(ReportedState.ONLINE, answered.reportedState());
                        lastStored.merge(runner, now, (a, b) -> a.isAfter(b) ? a : b);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            callers.shutdown();

            for (long runner : runners) {
                Runner stored = repository.find(acme, runner).orElseThrow();
                assertTrue(!stored.lastHeartbeatAt().isBefore(START.plusNanos(1_000)), "runner " + runner + " was beaten");
                assertTrue(!stored.lastHeartbeatAt().isAfter(lastStored.get(runner)), "no heartbeat it was not sent");
            }
            try (Connection c = DriverManager.getConnection(url, username, password); Statement s = c.createStatement();
                 var rows = s.executeQuery("SELECT count(*) FROM runners WHERE organization_id = " + other)) {
                rows.next();
                assertEquals(0, rows.getInt(1), "the other organization has no runner");
            }
        }
    }
}
