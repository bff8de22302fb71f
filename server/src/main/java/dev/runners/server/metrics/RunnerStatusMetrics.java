package dev.runners.server.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.runners.domain.RunnerCensus;
import dev.runners.domain.RunnerStatus;
import dev.runners.persistence.StoreUnavailableException;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Runners per status across every organization: {@code runners_by_status{status}}. Counting reads
 * the whole runners table, so a scrape uses the last count while it is younger than
 * {@link #MAX_AGE}; an older one is counted again, once, by the scrape that finds it stale.
 * While the database is down the last count stays (NaN before the first).
 */
@ApplicationScoped
public class RunnerStatusMetrics {
    static final String BY_STATUS = "runners.by.status";
    static final Duration MAX_AGE = Duration.ofSeconds(15);

    private record Count(Instant at, Map<RunnerStatus, Long> runners) {
    }

    private final RunnerCensus census;
    private final Clock clock;
    private Count last;

    @Inject
    RunnerStatusMetrics(RunnerCensus census, Clock clock) {
        this.census = census;
        this.clock = clock;
    }

    /** For CDI's proxy. */
    RunnerStatusMetrics() {
        this.census = null;
        this.clock = null;
    }

    void register(@Observes @Initialized(ApplicationScoped.class) Object event) {
        for (RunnerStatus status : RunnerStatus.values()) {
            Meters.registry().getOrCreate(Gauge.builder(BY_STATUS, () -> runners(status))
                    .scope(Meters.SCOPE)
                    .description("Runners in each status across every organization (counted at most every 15 s)")
                    .addTag(Tag.create("status", status.wireName())));
        }
    }

    private synchronized double runners(RunnerStatus status) {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.at().plus(MAX_AGE))) {
            Map<RunnerStatus, Long> counted;
            try {
                counted = census.countByStatus(now);
            } catch (StoreUnavailableException e) {
                // the database is down: keep the last count, and try again when it is stale
                counted = last == null ? Map.of() : last.runners();
            }
            last = new Count(now, counted);
        }
        Long runners = last.runners().get(status);
        return runners == null ? Double.NaN : runners;
    }
}
