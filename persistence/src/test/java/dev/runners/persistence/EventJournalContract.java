package dev.runners.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.ChangeType;
import dev.runners.domain.FeedEvent;
import dev.runners.domain.LabelSet;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.RunnerRegistration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's versions on a real database, without HTTP: with many writers at once every event
 * is in the feed when its write returns, the versions are 1..n without a gap or a repeat, each
 * event's JSON carries its own version, and the events of one runner keep the order of its writes.
 */
abstract class EventJournalContract extends RepositoryContract {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final int WRITERS = 12;
    private static final int PODS_PER_WRITER = 15;

    EventJournal journal;
    JdbcEventRepository events;
    private JdbcRunnerRepository runners;
    private JdbcPodRepository pods;

    EventJournalContract(TestStore store) {
        super(store);
    }

    @BeforeAll
    void openTheRepositories() {
        journal = TestEvents.journal(database);
        events = new JdbcEventRepository(database, journal);
        runners = new JdbcRunnerRepository(database,
                new AvailabilityPolicy(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(90)), journal);
        pods = new JdbcPodRepository(database, journal);
    }

    @Test
    void concurrentWritersEachFindTheirEventOnReturnUnderGapFreeVersionsInTheOrderOfTheirWrites() throws Exception {
        long org = organization(NOW);
        List<Future<List<Long>>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            for (int w = 0; w < WRITERS; w++) {
                writers.add(pool.submit(() -> write(org)));
            }
            List<Long> runnerIds = new ArrayList<>();
            for (Future<List<Long>> writer : writers) {
                runnerIds.add(writer.get().getFirst());
            }

            List<FeedEvent> all = events.after(org, 0, 10_000);
            int expected = WRITERS * (1 + PODS_PER_WRITER);
            assertEquals(LongStream.rangeClosed(1, expected).boxed().toList(),
                    all.stream().map(FeedEvent::version).toList(), "versions 1..n, each once");
            assertEquals(expected, events.currentVersion(org));
            for (FeedEvent event : all) {
                assertEquals(TestEvents.json(event.version(), event.type().wireName()), event.json());
            }
            Map<Long, List<ChangeType>> byRunner = all.stream().collect(Collectors.groupingBy(FeedEvent::runnerId,
                    Collectors.mapping(FeedEvent::type, Collectors.toList())));
            for (long runner : runnerIds) {
                List<ChangeType> types = byRunner.get(runner);
                assertEquals(ChangeType.RUNNER_REGISTERED, types.getFirst(), "a runner's registration comes first");
                assertEquals(1 + PODS_PER_WRITER, types.size());
            }
        }
    }

    /** Registers a runner and reports its pods, checking after each write that its event is in the feed. */
    private List<Long> write(long org) {
        long runner = runners.register(org, new RunnerRegistration("runner-" + next(), "1.0.0", "linux", "amd64",
                LabelSet.empty(), 1000), NOW).id();
        assertEquals(1, eventsOf(org, runner), "the registration's event is in the feed when it returns");
        for (int i = 1; i <= PODS_PER_WRITER; i++) {
            pods.report(org, runner, "pod-" + runner + "-" + i, new PodUpdate(PodStatus.RUNNING, "claude-code", null), NOW);
            assertEquals(1 + i, eventsOf(org, runner), "a pod's event is in the feed when its report returns");
        }
        return List.of(runner);
    }

    private long eventsOf(long org, long runner) {
        return events.after(org, 0, 10_000).stream().filter(event -> event.runnerId() == runner).count();
    }

    /** An event stored unnumbered, as a write leaves it when its instance stops before the numbering pass. */
    static void leaveUnnumbered(Connection c, long org, long runner) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO pending_events (organization_id, event_type,"
                + " runner_id, occurred_at, body_after_version) VALUES (?, 'runner.changed', ?, ?, ?)")) {
            insert.setLong(1, org);
            insert.setLong(2, runner);
            insert.setObject(3, OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
            insert.setString(4, "\"type\":\"runner.changed\"}");
            insert.executeUpdate();
        }
    }

    static void assertNumberedAfter(List<FeedEvent> feed, long version) {
        assertTrue(feed.stream().anyMatch(e -> e.version() == version
                && e.json().equals(TestEvents.json(version, "runner.changed"))), "event " + version + " in " + feed);
    }
}
