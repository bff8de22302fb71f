package dev.runners.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.EventRepository;
import dev.runners.domain.OrganizationRepository;
import dev.runners.domain.PodRepository;
import dev.runners.domain.RunnerRepository;
import dev.runners.persistence.Database;
import dev.runners.persistence.EventJournal;
import dev.runners.persistence.JdbcEventRepository;
import dev.runners.persistence.JdbcApiKeyRepository;
import dev.runners.persistence.JdbcOrganizationRepository;
import dev.runners.persistence.JdbcPodRepository;
import dev.runners.persistence.JdbcRunnerRepository;
import io.helidon.config.mp.MpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the service's collaborators from MicroProfile config; the one place each is made.
 * Singletons, not application-scoped, because the domain and persistence types are final.
 */
@ApplicationScoped
public class ServiceProducers {

    /** The one clock of the service; tests replace it with an alternative. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    AvailabilityPolicy availabilityPolicy(Clock clock,
                                          @ConfigProperty(name = "runners.heartbeat-timeout-seconds",
                                                  defaultValue = "90") long timeoutSeconds) {
        if (timeoutSeconds < 1) {
            throw new IllegalStateException("runners.heartbeat-timeout-seconds must be at least 1, was " + timeoutSeconds);
        }
        return new AvailabilityPolicy(clock, Duration.ofSeconds(timeoutSeconds));
    }

    /** Built from MicroProfile config so that @AddConfig and environment variables reach it. */
    @Produces
    @Singleton
    Database database() {
        return Database.open(MpConfig.toHelidonConfig(ConfigProvider.getConfig()).get("db"));
    }

    void closeDatabase(@Disposes Database database) {
        database.close();
    }

    /** Where every write appends its change-feed event, in its own transaction. */
    @Produces
    @Singleton
    EventJournal eventJournal(Database database, AvailabilityPolicy policy) {
        return new EventJournal(database, new FeedEventEncoder(policy));
    }

    @Produces
    @Singleton
    EventRepository eventRepository(Database database) {
        return new JdbcEventRepository(database);
    }

    @Produces
    @Singleton
    RunnerRepository runnerRepository(Database database, AvailabilityPolicy policy, EventJournal journal) {
        return new JdbcRunnerRepository(database, policy, journal);
    }

    @Produces
    @Singleton
    PodRepository podRepository(Database database, EventJournal journal) {
        return new JdbcPodRepository(database, journal);
    }

    @Produces
    @Singleton
    OrganizationRepository organizationRepository(Database database) {
        return new JdbcOrganizationRepository(database);
    }

    @Produces
    @Singleton
    ApiKeyRepository apiKeyRepository(Database database) {
        return new JdbcApiKeyRepository(database);
    }

    @Produces
    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
