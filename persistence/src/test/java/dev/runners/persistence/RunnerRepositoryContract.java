package dev.runners.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.ConflictException;
import dev.runners.domain.FeedEvent;
import dev.runners.domain.Heartbeat;
import dev.runners.domain.LabelSet;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.ReportedState;
import dev.runners.domain.Runner;
import dev.runners.domain.RunnerFilter;
import dev.runners.domain.RunnerRegistration;
import dev.runners.domain.RunnerRepository;
import dev.runners.domain.RunnerStatus;
import dev.runners.domain.UnknownResourceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner repository's pages, filters and tenancy on a real database, without HTTP; one
 * subclass per store. Each test makes its own organizations, so they share one database.
 */
abstract class RunnerRepositoryContract extends RepositoryContract {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final PageRequest ALL = new PageRequest(1000, 0);

    private RunnerRepository runners;
    private JdbcEventRepository feed;

    RunnerRepositoryContract(TestStore store) {
        super(store);
    }

    @BeforeAll
    void openTheRepository() {
        // the events these writes journal are encoded as version and type: the feed has tests of its own
        EventJournal journal = TestEvents.journal(database);
        runners = new JdbcRunnerRepository(database, new AvailabilityPolicy(Clock.fixed(NOW, ZoneOffset.UTC), TIMEOUT),
                journal);
        feed = new JdbcEventRepository(database, journal);
    }

    @Test
    void aPageListsByIdAndCountsEveryMatchWhateverTheSlice() {
        long org = organization();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(register(org, "runner-" + i, 10).id());
        }
        Page<Runner> middle = runners.page(org, RunnerFilter.everything(), new PageRequest(2, 1), NOW);
        assertEquals(ids.subList(1, 3), idsOf(middle));
        assertEquals(5, middle.total());

        Page<Runner> beyond = runners.page(org, RunnerFilter.everything(), new PageRequest(2, 7), NOW);
        assertEquals(List.of(), beyond.items());
        assertEquals(5, beyond.total(), "a page past the end still counts every match");
    }

    @Test
    void anotherOrganizationsRunnersAreNeitherListedNorFoundNorTouched() {
        long mine = organization();
        long theirs = organization();
        Runner theirRunner = register(theirs, "shared-name", 10);
        Runner myRunner = register(mine, "shared-name", 10);

        assertEquals(List.of(myRunner.id()), idsOf(runners.page(mine, RunnerFilter.everything(), ALL, NOW)));
        assertEquals(1, runners.page(mine, RunnerFilter.everything(), ALL, NOW).total());
        assertTrue(runners.find(mine, theirRunner.id()).isEmpty());
        assertThrows(UnknownResourceException.class, () -> runners.heartbeat(mine, theirRunner.id(), online(), NOW));
        assertFalse(runners.delete(mine, theirRunner.id(), NOW));
        assertTrue(runners.find(theirs, theirRunner.id()).isPresent());
    }

    @Test
    void aNameIsTakenWithinItsOrganization() {
        long org = organization();
        register(org, "dev-runner-01", 10);
        ConflictException taken = assertThrows(ConflictException.class, () -> register(org, "dev-runner-01", 10));
        assertEquals(ConflictException.Reason.RUNNER_NAME_TAKEN, taken.reason());
        assertEquals(1, runners.page(org, RunnerFilter.everything(), ALL, NOW).total());
    }

    @Test
    void theLabelFilterKeepsRunnersCarryingEveryLabel() {
        long org = organization();
        register(org, "gpu-only", 10, "gpu");
        Runner both = register(org, "gpu-and-big", 10, "gpu", "big");
        register(org, "big-only", 10, "big");
        register(org, "none", 10);

        Page<Runner> page = runners.page(org, new RunnerFilter(Set.of(), labels("big", "gpu")), ALL, NOW);
        assertEquals(List.of(both.id()), idsOf(page));
        assertEquals(1, page.total());
    }

    @Test
    void theStatusFilterJudgesEachRunnerAtTheTimeAsked() {
        long org = organization();
        Runner silent = register(org, "never-beat", 10);
        Runner fresh = register(org, "fresh", 10);
        Runner stale = register(org, "stale", 10);
        Runner saidOffline = register(org, "said-offline", 10);
        runners.heartbeat(org, fresh.id(), online(), NOW.minus(TIMEOUT));
        runners.heartbeat(org, stale.id(), online(), NOW.minus(TIMEOUT).minusMillis(1));
        runners.heartbeat(org, saidOffline.id(), new Heartbeat(ReportedState.OFFLINE, null, null, null, null, null), NOW);

        assertEquals(List.of(fresh.id()), idsOf(runners.page(org, new RunnerFilter(Set.of(RunnerStatus.ONLINE), LabelSet.empty()), ALL, NOW)),
                "a heartbeat exactly T old still counts");
        Page<Runner> offline = runners.page(org, new RunnerFilter(Set.of(RunnerStatus.OFFLINE), LabelSet.empty()), ALL, NOW);
        assertEquals(List.of(silent.id(), stale.id(), saidOffline.id()), idsOf(offline));
        assertEquals(3, offline.total());
    }

    @Test
    void availableRunnersComeMostFreeSlotsFirstThenById() {
        long org = organization();
        Runner small = register(org, "small", 2);
        Runner large = register(org, "large", 5);
        Runner alsoLarge = register(org, "also-large", 5);
        Runner offline = register(org, "offline", 50);
        for (Runner r : List.of(small, large, alsoLarge)) {
            runners.heartbeat(org, r.id(), online(), NOW);
        }
        assertEquals(List.of(large.id(), alsoLarge.id(), small.id()), idsOf(runners.availablePage(org, LabelSet.empty(), ALL, NOW)));

        runners.setSchedulable(org, large.id(), false, NOW);
        Page<Runner> cordoned = runners.availablePage(org, LabelSet.empty(), ALL, NOW);
        assertEquals(List.of(alsoLarge.id(), small.id()), idsOf(cordoned), "a cordoned runner is not offered");
        assertEquals(2, cordoned.total());
        assertFalse(idsOf(cordoned).contains(offline.id()));
    }

    @Test
    void aHeartbeatEmitsExactlyWhenItChangesWhatAReaderSeesAndIsStoredEitherWay() {
        long org = organization();
        Runner registered = register(org, "beating", 4, "gpu");
        Instant t0 = NOW.minusSeconds(600);
        long v = version(org);

        runners.heartbeat(org, registered.id(), online(), t0);
        assertEquals(v + 1, version(org), "offline to online is told");

        // the same values again, exactly T later: still online at the boundary, nothing to tell
        Instant atTheTimeout = t0.plus(TIMEOUT);
        Runner repeated = runners.heartbeat(org, registered.id(),
                new Heartbeat(ReportedState.ONLINE, "1.0.0", "linux", "amd64", labels("gpu"), 4), atTheTimeout);
        assertEquals(v + 1, version(org));
        assertEquals(atTheTimeout, repeated.lastHeartbeatAt());
        assertEquals(repeated, runners.find(org, registered.id()).orElseThrow());

        // a microsecond past T the runner had gone offline: the heartbeat brings it back
        Instant back = atTheTimeout.plus(TIMEOUT).plusNanos(1000);
        runners.heartbeat(org, registered.id(), online(), back);
        assertEquals(v + 2, version(org));

        Runner resized = runners.heartbeat(org, registered.id(), new Heartbeat(ReportedState.ONLINE, null, null, null,
                null, 8), back.plusSeconds(1));
        assertEquals(v + 3, version(org), "a changed field is told");
        assertEquals(8, resized.maxPods());
        assertEquals(labels("gpu"), resized.labels(), "a null field keeps the stored value");
        assertEquals(resized, runners.find(org, registered.id()).orElseThrow());

        Heartbeat offline = new Heartbeat(ReportedState.OFFLINE, null, null, null, null, null);
        runners.heartbeat(org, registered.id(), offline, back.plusSeconds(2));
        assertEquals(v + 4, version(org));
        Runner stillOffline = runners.heartbeat(org, registered.id(), offline, back.plusSeconds(3));
        assertEquals(v + 4, version(org), "offline again is nothing new");
        assertEquals(back.plusSeconds(3), runners.find(org, registered.id()).orElseThrow().lastHeartbeatAt());
        assertEquals(ReportedState.OFFLINE, stillOffline.reportedState());

        // each event is stored under its version, gap-free, with the version in front of its JSON
        List<FeedEvent> events = feed.after(org, 0, 100);
        assertEquals(v + 4, events.size());
        for (int i = 0; i < events.size(); i++) {
            FeedEvent event = events.get(i);
            assertEquals(i + 1, event.version());
            assertEquals(TestEvents.json(i + 1, event.type().wireName()), event.json());
        }
    }

    private long version(long org) {
        return feed.currentVersion(org);
    }

    private long organization() {
        return organization(NOW);
    }

    private Runner register(long org, String name, int maxPods, String... labels) {
        return runners.register(org, new RunnerRegistration(name, "1.0.0", "linux", "amd64", labels(labels), maxPods), NOW.minusSeconds(3600));
    }

    private static LabelSet labels(String... values) {
        List<dev.runners.domain.Violation> problems = new ArrayList<>();
        LabelSet set = LabelSet.of(List.of(values), "labels", problems);
        assertEquals(List.of(), problems);
        return set;
    }

    private static Heartbeat online() {
        return new Heartbeat(ReportedState.ONLINE, null, null, null, null, null);
    }

    private static List<Long> idsOf(Page<Runner> page) {
        return page.items().stream().map(Runner::id).toList();
    }
}
