package dev.runners.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Heartbeat;
import dev.runners.domain.LabelSet;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.PodRepository;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.ReportedState;
import dev.runners.domain.Runner;
import dev.runners.domain.RunnerFilter;
import dev.runners.domain.RunnerRegistration;
import dev.runners.domain.RunnerRepository;
import dev.runners.domain.RunnerStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The status rule as SQL computes it (the fragments {@code runner-status}, {@code runner-available} and
 * {@code runner-timed-out} of statements.yaml, through every statement that uses them) equals the rule as
 * {@link AvailabilityPolicy} computes it, for runners at the rule's boundaries: a heartbeat exactly T
 * old, 1 µs and 1 ms either side, none at all, each reported state, free / full / over-full slots,
 * cordoned or not. One database per class holds only these runners, so the census counts them alone.
 */
abstract class RunnerStatusRuleContract extends RepositoryContract {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00.123456Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant CUTOFF = NOW.minus(TIMEOUT);
    private static final PageRequest ALL = new PageRequest(1000, 0);
    private static final Map<String, Instant> HEARTBEATS = heartbeats();
    /** Every case's one label, so that the available list is read with and without a label filter. */
    private static final LabelSet GPU = LabelSet.fromStored("gpu");

    private final AvailabilityPolicy policy = new AvailabilityPolicy(Clock.fixed(NOW, ZoneOffset.UTC), TIMEOUT);
    private RunnerRepository runners;
    private long org;
    /** Each case's runner as stored, by the case's description. */
    private final Map<String, Runner> cases = new HashMap<>();

    RunnerStatusRuleContract(TestStore store) {
        super(store);
    }

    /** When a runner last beat, by how old that heartbeat is at {@link #NOW}; null: it never did. */
    private static Map<String, Instant> heartbeats() {
        Map<String, Instant> at = new java.util.LinkedHashMap<>();
        at.put("never beat", null);
        at.put("beat just now", NOW);
        at.put("beat 1 s ahead of the server's clock", NOW.plusSeconds(1));
        at.put("beat T - 1 µs ago", CUTOFF.plus(1, ChronoUnit.MICROS));
        at.put("beat exactly T ago", CUTOFF);
        at.put("beat T + 1 µs ago", CUTOFF.minus(1, ChronoUnit.MICROS));
        at.put("beat T + 1 ms ago", CUTOFF.minusMillis(1));
        return at;
    }

    /** Pods held against slots: one below the maximum, at it, and above it (the maximum lowered later). */
    private enum Load {
        FREE(1, 2, 2), FULL(2, 2, 2), OVER_FULL(2, 2, 1);

        final int pods;
        final int registeredMax;
        final int maxAfterHeartbeat;

        Load(int pods, int registeredMax, int maxAfterHeartbeat) {
            this.pods = pods;
            this.registeredMax = registeredMax;
            this.maxAfterHeartbeat = maxAfterHeartbeat;
        }
    }

    @BeforeAll
    void storeARunnerForEachCase() throws Exception {
        EventJournal journal = TestEvents.journal(database);
        runners = new JdbcRunnerRepository(database, policy, journal);
        PodRepository pods = new JdbcPodRepository(database, journal);
        org = tenants.create("status-rule", "Status rule", NOW).id();

        for (Map.Entry<String, Instant> heartbeat : HEARTBEATS.entrySet()) {
            for (ReportedState reported : ReportedState.values()) {
                for (Load load : Load.values()) {
                    for (boolean schedulable : new boolean[] {true, false}) {
                        if (heartbeat.getValue() == null && (reported != ReportedState.OFFLINE || load == Load.OVER_FULL)) {
                            continue; // a runner that never beat is as registered: reported offline, its maximum unchanged
                        }
                        String description = heartbeat.getKey() + ", reported " + reported.wireName() + ", "
                                + load.pods + " pods of " + (heartbeat.getValue() == null ? load.registeredMax : load.maxAfterHeartbeat)
                                + (schedulable ? "" : ", cordoned");
                        Runner runner = runners.register(org, new RunnerRegistration("runner-" + cases.size(), "1.0.0",
                                "linux", "amd64", GPU, load.registeredMax), NOW.minusSeconds(3600));
                        for (int i = 0; i < load.pods; i++) {
                            pods.report(org, runner.id(), "pod-" + runner.id() + "-" + i,
                                    new PodUpdate(PodStatus.RUNNING, "claude-code", null), NOW.minusSeconds(600));
                        }
                        if (heartbeat.getValue() != null) {
                            runners.heartbeat(org, runner.id(), new Heartbeat(reported, null, null, null, null,
                                    load.maxAfterHeartbeat), heartbeat.getValue());
                        }
                        if (!schedulable) {
                            runners.setSchedulable(org, runner.id(), false, NOW);
                        }
                        Runner stored = runners.find(org, runner.id()).orElseThrow();
                        // the case is what was meant: the boundary survives the round trip to the database
                        assertEquals(heartbeat.getValue(), stored.lastHeartbeatAt(), description);
                        assertEquals(load.pods, stored.podCount(), description);
                        cases.put(description, stored);
                    }
                }
            }
        }
        // the cases reach every outcome of the rule, so agreeing on them is not agreeing on one answer
        Set<RunnerStatus> reached = EnumSet.noneOf(RunnerStatus.class);
        Set<Boolean> availability = new HashSet<>();
        cases.values().forEach(r -> {
            reached.add(policy.statusAt(NOW, r));
            availability.add(policy.isAvailable(NOW, r));
        });
        assertEquals(EnumSet.allOf(RunnerStatus.class), reached);
        assertEquals(Set.of(true, false), availability);
    }

    @Test
    void theStatusFilterOfARunnersPageJudgesEachRunnerAsThePolicyDoes() {
        Map<Long, List<RunnerStatus>> listedUnder = new HashMap<>();
        for (RunnerStatus status : RunnerStatus.values()) {
            for (Runner listed : runners.page(org, new RunnerFilter(Set.of(status), LabelSet.empty()), ALL, NOW).items()) {
                listedUnder.computeIfAbsent(listed.id(), id -> new ArrayList<>()).add(status);
            }
        }
        assertForEachCase(runner -> List.of(policy.statusAt(NOW, runner)),
                runner -> listedUnder.getOrDefault(runner.id(), List.of()));
    }

    /** Without a label filter (runners-available-page-all) and with one (runners-available-page): page and count. */
    @Test
    void theAvailableListHoldsExactlyTheRunnersThePolicyCallsAvailable() {
        long available = cases.values().stream().filter(r -> policy.isAvailable(NOW, r)).count();
        for (LabelSet labels : List.of(LabelSet.empty(), GPU)) {
            Page<Runner> page = runners.availablePage(org, labels, ALL, NOW);
            Set<Long> offered = new HashSet<>();
            page.items().forEach(r -> offered.add(r.id()));
            assertForEachCase(runner -> policy.isAvailable(NOW, runner), runner -> offered.contains(runner.id()));
            assertEquals(available, page.total(), "the total of " + labels.values());
            assertEquals(available, runners.availablePage(org, labels, new PageRequest(1, 0), NOW).total(),
                    "the total beside a page of one, " + labels.values());
        }
    }

    @Test
    void theCensusCountsEachStatusAsThePolicyDoes() {
        Map<RunnerStatus, Long> expected = new EnumMap<>(RunnerStatus.class);
        for (RunnerStatus status : RunnerStatus.values()) {
            expected.put(status, 0L);
        }
        cases.values().forEach(r -> expected.merge(policy.statusAt(NOW, r), 1L, Long::sum));
        assertEquals(expected, new JdbcRunnerCensus(database, policy).countByStatus(NOW));
    }

    /**
     * The change feed's timeout watch ({@code runners-timed-out}, {@code runner-claim-timeout}, through the
     * fragment {@code runner-timed-out}) announces exactly the runners that said online and that the policy
     * calls offline, each once. Its own repository, whose journal notes the runners it announces.
     */
    @Test
    void theTimeoutWatchAnnouncesExactlyTheRunnersThatSaidOnlineAndThePolicyCallsOffline() {
        Set<Long> announced = new HashSet<>();
        EventJournal noting = new EventJournal(database, (version, change) -> {
            announced.add(change.runnerId());
            return TestEvents.json(version, change.type().wireName());
        });
        RunnerRepository watch = new JdbcRunnerRepository(database, policy, noting);

        int count = watch.announceTimeouts(NOW, 1000);

        assertForEachCase(runner -> runner.reportedState() == ReportedState.ONLINE
                        && policy.statusAt(NOW, runner) == RunnerStatus.OFFLINE,
                runner -> announced.contains(runner.id()));
        assertEquals(announced.size(), count);
        assertEquals(0, watch.announceTimeouts(NOW, 1000), "a timeout is announced once");
    }

    private <T> void assertForEachCase(Function<Runner, T> java, Function<Runner, T> sql) {
        List<Executable> checks = new ArrayList<>();
        cases.forEach((description, runner) ->
                checks.add(() -> assertEquals(java.apply(runner), sql.apply(runner), description)));
        assertAll(checks);
    }
}
