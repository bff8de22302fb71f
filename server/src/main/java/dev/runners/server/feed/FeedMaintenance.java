package dev.runners.server.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.EventRepository;
import dev.runners.domain.RunnerRepository;
import dev.runners.persistence.EventJournal;
import dev.runners.server.config.ServiceSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * What the feed needs besides writes: every second, the runners whose status turned offline only
 * because time passed are announced (each once, whichever instance claims it first) and, on
 * PostgreSQL, events that an instance committed but stopped before numbering are numbered
 * ({@link EventJournal#numberLeftovers}); every few minutes, events older than the retention are deleted.
 */
@ApplicationScoped
public class FeedMaintenance {
    private static final System.Logger LOG = System.getLogger(FeedMaintenance.class.getName());
    /** Timeouts are announced within this period (SPEC: within 5 s). */
    static final Duration TIMEOUT_SWEEP = Duration.ofSeconds(1);
    /** Events left unnumbered by an instance that stopped are numbered within this period. */
    private static final Duration LEFTOVER_SWEEP = Duration.ofSeconds(1);
    private static final Duration RETENTION_SWEEP = Duration.ofMinutes(5);
    private static final int TIMEOUTS_PER_SWEEP = 500;

    private final RunnerRepository runners;
    private final EventRepository events;
    private final EventJournal journal;
    private final AvailabilityPolicy policy;
    private final Duration retention;
    private ScheduledExecutorService sweeper;

    @Inject
    FeedMaintenance(RunnerRepository runners, EventRepository events, EventJournal journal, AvailabilityPolicy policy,
                    ServiceSettings settings) {
        this.runners = runners;
        this.events = events;
        this.journal = journal;
        this.policy = policy;
        this.retention = settings.feed().retention();
    }

    /** Events that happened before this instant are no longer retained. */
    Instant retainedFrom(Instant now) {
        return now.minus(retention);
    }

    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 60)
               @Initialized(ApplicationScoped.class) Object event) {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("change-feed-maintenance").unstarted(r));
        sweeper.scheduleWithFixedDelay(this::announceTimeouts, TIMEOUT_SWEEP.toMillis(), TIMEOUT_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(this::numberLeftovers, 0, LEFTOVER_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(this::deleteExpired, 0, RETENTION_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void announceTimeouts() {
        try {
            int announced;
            do {
                announced = runners.announceTimeouts(policy.now(), TIMEOUTS_PER_SWEEP);
            } while (announced == TIMEOUTS_PER_SWEEP);
        } catch (RuntimeException e) {
            // the database may be away; the next sweep tries again
            LOG.log(System.Logger.Level.DEBUG, "Timeout sweep failed", e);
        }
    }

    private void numberLeftovers() {
        try {
            journal.numberLeftovers();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Numbering leftover events failed", e);
        }
    }

    private void deleteExpired() {
        try {
            int deleted = events.deleteBefore(retainedFrom(policy.now()));
            if (deleted > 0) {
                LOG.log(System.Logger.Level.DEBUG, "Deleted " + deleted + " expired change-feed events");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Retention sweep failed", e);
        }
    }
}
