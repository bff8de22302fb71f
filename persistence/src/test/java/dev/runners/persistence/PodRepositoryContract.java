package dev.runners.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.ConflictException;
import dev.runners.domain.LabelSet;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.Pod;
import dev.runners.domain.PodFilter;
import dev.runners.domain.PodRepository;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.RunnerRegistration;
import dev.runners.domain.RunnerRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pod repository's pages (order, slices, totals from the runner's maintained counts, status
 * filters) and tenancy on a real database, without HTTP; one subclass per store.
 */
abstract class PodRepositoryContract extends RepositoryContract {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final PageRequest ALL = new PageRequest(100, 0);
    private static final PodFilter EVERY_STATUS = new PodFilter(Set.of());

    private RunnerRepository runners;
    private PodRepository pods;

    PodRepositoryContract(TestStore store) {
        super(store);
    }

    @BeforeAll
    void openTheRepositories() {
        EventJournal journal = TestEvents.journal(database);
        runners = new JdbcRunnerRepository(database,
                new AvailabilityPolicy(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(90)), journal);
        pods = new JdbcPodRepository(database, journal);
    }

    @Test
    void aPageListsNewestFirstTiesByKeyAndCountsEveryPodWhateverTheSlice() {
        long org = organization();
        long runner = runner(org);
        report(org, runner, "pod-old", PodStatus.RUNNING, NOW.minusSeconds(30));
        report(org, runner, "pod-b", PodStatus.RUNNING, NOW.minusSeconds(10));
        report(org, runner, "pod-a", PodStatus.RUNNING, NOW.minusSeconds(10));
        report(org, runner, "pod-new", PodStatus.COMPLETED, NOW);

        assertEquals(List.of("pod-new", "pod-a", "pod-b", "pod-old"), keysOf(page(org, runner, EVERY_STATUS, ALL)));
        Page<Pod> middle = page(org, runner, EVERY_STATUS, new PageRequest(2, 1));
        assertEquals(List.of("pod-a", "pod-b"), keysOf(middle));
        assertEquals(4, middle.total());
        Page<Pod> beyond = page(org, runner, EVERY_STATUS, new PageRequest(2, 9));
        assertEquals(List.of(), beyond.items());
        assertEquals(4, beyond.total(), "a page past the end still counts every pod");
    }

    @Test
    void theStatusFilterListsAndCountsOnlyTheStatusesAskedAsTheyAreNow() {
        long org = organization();
        long runner = runner(org);
        report(org, runner, "pod-1", PodStatus.RUNNING, NOW.minusSeconds(3));
        report(org, runner, "pod-2", PodStatus.PAUSED, NOW.minusSeconds(2));
        report(org, runner, "pod-3", PodStatus.RUNNING, NOW.minusSeconds(1));
        report(org, runner, "pod-3", PodStatus.ERROR, NOW);  // a move: counted under its new status only

        Page<Pod> running = page(org, runner, new PodFilter(Set.of(PodStatus.RUNNING)), ALL);
        assertEquals(List.of("pod-1"), keysOf(running));
        assertEquals(1, running.total());
        Page<Pod> runningOrError = page(org, runner, new PodFilter(EnumSet.of(PodStatus.RUNNING, PodStatus.ERROR)),
                new PageRequest(1, 0));
        assertEquals(List.of("pod-3"), keysOf(runningOrError));
        assertEquals(2, runningOrError.total());
        Page<Pod> none = page(org, runner, new PodFilter(Set.of(PodStatus.ORPHANED)), ALL);
        assertEquals(List.of(), none.items());
        assertEquals(0, none.total());
        assertEquals(3, page(org, runner, new PodFilter(EnumSet.allOf(PodStatus.class)), ALL).total(),
                "every status asked is no filter at all");
    }

    @Test
    void aRunnerWithoutPodsHasAnEmptyPageAndAnUnknownOrForeignRunnerNone() {
        long mine = organization();
        long theirs = organization();
        long empty = runner(mine);
        long theirRunner = runner(theirs);
        report(theirs, theirRunner, "their-pod", PodStatus.RUNNING, NOW);

        Page<Pod> page = pods.page(mine, empty, EVERY_STATUS, ALL).orElseThrow();
        assertEquals(List.of(), page.items());
        assertEquals(0, page.total());
        assertEquals(Optional.empty(), pods.page(mine, theirRunner, EVERY_STATUS, ALL));
        assertEquals(Optional.empty(), pods.page(mine, theirRunner, new PodFilter(Set.of(PodStatus.RUNNING)), ALL));
        assertEquals(Optional.empty(), pods.page(mine, Long.MAX_VALUE, EVERY_STATUS, ALL));
    }

    @Test
    void aKeyIsTakenWithinItsOrganizationOnly() {
        long mine = organization();
        long theirs = organization();
        long first = runner(mine);
        long second = runner(mine);
        report(mine, first, "shared-key", PodStatus.RUNNING, NOW);

        ConflictException taken = assertThrows(ConflictException.class,
                () -> report(mine, second, "shared-key", PodStatus.RUNNING, NOW));
        assertEquals(ConflictException.Reason.POD_KEY_TAKEN, taken.reason());
        assertEquals(0, page(mine, second, EVERY_STATUS, ALL).total());

        long theirRunner = runner(theirs);
        assertTrue(pods.report(theirs, theirRunner, "shared-key", update(PodStatus.RUNNING), NOW).created(),
                "another organization has keys of its own");
    }

    private long organization() {
        return organization(NOW);
    }

    private long runner(long org) {
        return runners.register(org, new RunnerRegistration("runner-" + next(), "1.0.0", "linux",
                "amd64", LabelSet.empty(), 10), NOW.minusSeconds(3600)).id();
    }

    private void report(long org, long runner, String key, PodStatus status, Instant at) {
        pods.report(org, runner, key, update(status), at);
    }

    private static PodUpdate update(PodStatus status) {
        return new PodUpdate(status, "claude-code", null);
    }

    private Page<Pod> page(long org, long runner, PodFilter filter, PageRequest request) {
        return pods.page(org, runner, filter, request).orElseThrow();
    }

    private static List<String> keysOf(Page<Pod> page) {
        return page.items().stream().map(Pod::key).toList();
    }
}
