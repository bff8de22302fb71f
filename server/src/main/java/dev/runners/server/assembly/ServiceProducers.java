package dev.runners.server.assembly;

import java.security.SecureRandom;
import java.time.Clock;

import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.EventRepository;
import dev.runners.domain.OrganizationRepository;
import dev.runners.domain.PodRepository;
import dev.runners.domain.RunnerCensus;
import dev.runners.domain.RunnerRepository;
import dev.runners.persistence.Database;
import dev.runners.persistence.EventJournal;
import dev.runners.persistence.JdbcApiKeyRepository;
import dev.runners.persistence.JdbcEventRepository;
import dev.runners.persistence.JdbcOrganizationRepository;
import dev.runners.persistence.JdbcPodRepository;
import dev.runners.persistence.JdbcRunnerCensus;
import dev.runners.persistence.JdbcRunnerRepository;
import dev.runners.server.auth.CachedApiKeys;
import dev.runners.server.config.ServiceSettings;
import dev.runners.server.feed.FeedEventEncoder;
import io.helidon.config.mp.MpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Builds the service's collaborators from MicroProfile config; the one place each is made.
 * Singletons, not application-scoped, because the domain and persistence types are final.
 */
@ApplicationScoped
public class ServiceProducers {
    private static final System.Logger LOG = System.getLogger(ServiceProducers.class.getName());

    /** The one clock of the service; tests replace it with an alternative. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Checked once more here (the start-up checks them first), so that tests run with the same rules. */
    @Produces
    @Singleton
    ServiceSettings settings() {
        return ServiceSettings.from(ConfigProvider.getConfig());
    }

    @Produces
    @Singleton
    AvailabilityPolicy availabilityPolicy(Clock clock, ServiceSettings settings) {
        return new AvailabilityPolicy(clock, settings.heartbeatTimeout());
    }

    /** Built from MicroProfile config so that @AddConfig and environment variables reach it. */
    @Produces
    @Singleton
    Database database(ServiceSettings settings) {
        LOG.log(System.Logger.Level.INFO, "Database: " + settings.database().describe());
        return Database.open(MpConfig.toHelidonConfig(ConfigProvider.getConfig()).get("db"), settings.tracing());
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

    void closeEventJournal(@Disposes EventJournal journal) {
        journal.close();
    }

    @Produces
    @Singleton
    EventRepository eventRepository(Database database, EventJournal journal) {
        return new JdbcEventRepository(database, journal);
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

    /** Cached for at most {@link CachedApiKeys#FRESH_FOR}: the lookup runs on every request. */
    @Produces
    @Singleton
    ApiKeyRepository apiKeyRepository(Database database) {
        return new CachedApiKeys(new JdbcApiKeyRepository(database));
    }

    @Produces
    @Singleton
    RunnerCensus runnerCensus(Database database, AvailabilityPolicy policy) {
        return new JdbcRunnerCensus(database, policy);
    }

    @Produces
    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
