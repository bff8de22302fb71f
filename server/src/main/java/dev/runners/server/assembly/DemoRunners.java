package dev.runners.server.assembly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.ApiKeySecret;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Heartbeat;
import dev.runners.domain.LabelSet;
import dev.runners.domain.OrganizationRepository;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.PageRules;
import dev.runners.domain.PodRepository;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.ReportedState;
import dev.runners.domain.Runner;
import dev.runners.domain.RunnerFilter;
import dev.runners.domain.RunnerRegistration;
import dev.runners.domain.RunnerRepository;
import dev.runners.domain.Scope;
import dev.runners.domain.Violation;
import dev.runners.persistence.Database;
import dev.runners.server.config.ServiceSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The demo a newcomer sees at once ({@code RUNNERS_DEMO=true}): on an empty database it creates the
 * organization {@code demo}, a read key with a published secret, and runners with labels and pods,
 * then keeps some of them heartbeating while the service runs, so that some are online, one is
 * busy and some are offline. Off by default; on PostgreSQL it also needs
 * {@code RUNNERS_DEMO_ALLOW_POSTGRES=true}, so that a production database is never seeded by mistake.
 */
@ApplicationScoped
public class DemoRunners {
    static final String SLUG = "demo";
    /** Published in the README; it only ever exists in a demo organization. */
    static final String READ_KEY = "rk_demoReadOnlyKeyForTheRunnersApiDemo";
    private static final long HEARTBEAT_SECONDS = 20;
    /** Moves between online and busy: every other beat it starts pods that fill it, then completes them. */
    static final String FLUCTUATING = "dev-runner-02";
    private static final int BURST = 3;
    /** Stops heartbeating for six beats (two minutes, past the 90 s timeout), then comes back for six. */
    static final String INTERMITTENT = "mac-runner-01";
    private static final int INTERMITTENT_CYCLE = 12;
    private static final System.Logger LOG = System.getLogger(DemoRunners.class.getName());

    /** name, labels, max pods, pods to report, whether the agent keeps heartbeating. */
    private record DemoRunner(String name, List<String> labels, int maxPods, int pods, ReportedState state) {
    }

    private static final List<DemoRunner> RUNNERS = List.of(
            new DemoRunner("dev-runner-01", List.of("gpu", "high-memory"), 10, 3, ReportedState.ONLINE),
            new DemoRunner("dev-runner-02", List.of("gpu"), 4, 1, ReportedState.ONLINE),
            new DemoRunner("build-runner-01", List.of("linux", "x86-64"), 2, 2, ReportedState.ONLINE),
            new DemoRunner("mac-runner-01", List.of("arm64", "macos"), 3, 0, ReportedState.ONLINE),
            new DemoRunner("win-runner-01", List.of("windows"), 5, 0, ReportedState.OFFLINE),
            new DemoRunner("edge-runner-01", List.of("edge"), 1, 0, null));

    private final boolean enabled;
    private final boolean allowPostgres;
    private final Database database;
    private final OrganizationRepository organizations;
    private final ApiKeyRepository apiKeys;
    private final RunnerRepository runners;
    private final PodRepository pods;
    private final AvailabilityPolicy policy;
    private ScheduledExecutorService heartbeats;
    private long beats;

    @Inject
    DemoRunners(ServiceSettings settings, Database database, OrganizationRepository organizations, ApiKeyRepository apiKeys,
                RunnerRepository runners, PodRepository pods, AvailabilityPolicy policy) {
        this.enabled = settings.demo();
        this.allowPostgres = settings.demoAllowPostgres();
        this.database = database;
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.runners = runners;
        this.pods = pods;
        this.policy = policy;
    }

    // after DatabaseStartup has migrated the schema
    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 100)
               @Initialized(ApplicationScoped.class) Object event) {
        if (!enabled) {
            return;
        }
        if (database.isPostgres() && !allowPostgres) {
            LOG.log(System.Logger.Level.WARNING, "RUNNERS_DEMO is ignored on PostgreSQL unless "
                    + "RUNNERS_DEMO_ALLOW_POSTGRES=true");
            return;
        }
        try {
            long organizationId = organizations.findBySlug(SLUG).map(o -> o.id()).orElseGet(this::seed);
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "demo-runner-heartbeats");
                thread.setDaemon(true);
                return thread;
            });
            heartbeats.scheduleAtFixedRate(() -> beat(organizationId), 0, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
            LOG.log(System.Logger.Level.INFO, "Demo runners are up: curl -H 'Authorization: Bearer " + READ_KEY
                    + "' http://localhost:<port>/api/v1/runners/available");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Demo could not start: " + e.getMessage());
        }
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }

    private long seed() {
        Instant now = policy.now();
        long organizationId = organizations.create(SLUG, "Demo organization", now).id();
        apiKeys.create(organizationId, "demo read key", ApiKeySecret.shownPrefix(READ_KEY),
                ApiKeySecret.hash(READ_KEY), EnumSet.of(Scope.RUNNERS_READ), null, now);
        for (DemoRunner demo : RUNNERS) {
            List<Violation> unused = new ArrayList<>();
            Runner runner = runners.register(organizationId, new RunnerRegistration(demo.name(), "1.2.0", "linux",
                    "amd64", LabelSet.of(demo.labels(), "labels", unused), demo.maxPods()), now);
            if (demo.state() != null) {
                runners.heartbeat(organizationId, runner.id(), new Heartbeat(demo.state(), null, null, null, null,
                        null), now);
            }
            if (demo.pods() > 0) {
                pods.report(organizationId, runner.id(), demo.name() + "-finished-pod",
                        new PodUpdate(PodStatus.COMPLETED, "claude-code", "Write the release notes"), now);
            }
            for (int i = 1; i <= demo.pods(); i++) {
                pods.report(organizationId, runner.id(), demo.name() + "-pod-" + i,
                        new PodUpdate(i == 1 ? PodStatus.RUNNING : PodStatus.INITIALIZING, "claude-code",
                                "Fix the login bug #" + i), now);
            }
        }
        LOG.log(System.Logger.Level.INFO, "Created the demo organization '" + SLUG + "' with " + RUNNERS.size()
                + " runners");
        return organizationId;
    }

    /**
     * Online demo agents heartbeat; the others stay as they are and read offline. So that the change
     * feed has something to show, one runner fills up and empties again, and one falls silent for a
     * while (its timeout is announced) and then comes back.
     */
    private void beat(long organizationId) {
        long beat = beats++;
        try {
            Instant now = policy.now();
            Page<Runner> all = runners.page(organizationId, RunnerFilter.everything(), new PageRequest(PageRules.RUNNERS.maxLimit(), 0), now);
            for (Runner runner : all.items()) {
                boolean keepsBeating = RUNNERS.stream().anyMatch(d -> d.name().equals(runner.name())
                        && d.state() == ReportedState.ONLINE);
                if (runner.name().equals(INTERMITTENT) && beat % INTERMITTENT_CYCLE >= INTERMITTENT_CYCLE / 2) {
                    keepsBeating = false;
                }
                if (keepsBeating) {
                    runners.heartbeat(organizationId, runner.id(),
                            new Heartbeat(ReportedState.ONLINE, null, null, null, null, null), now);
                }
                if (runner.name().equals(FLUCTUATING)) {
                    fluctuate(organizationId, runner.id(), beat, now);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Demo heartbeat failed: " + e.getMessage());
        }
    }

    /** Even beats start a burst of pods (busy), odd beats complete it (online again). */
    private void fluctuate(long organizationId, long runnerId, long beat, Instant now) {
        long burst = beat - beat % 2;
        PodStatus status = beat % 2 == 0 ? PodStatus.RUNNING : PodStatus.COMPLETED;
        for (int i = 1; i <= BURST; i++) {
            pods.report(organizationId, runnerId, FLUCTUATING + "-burst-" + burst + "-" + i,
                    new PodUpdate(status, "claude-code", "Run the nightly tests, shard " + i), now);
        }
    }
}
