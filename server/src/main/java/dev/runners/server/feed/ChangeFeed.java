package dev.runners.server.feed;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.runners.domain.EventRepository;
import dev.runners.domain.FeedEvent;
import dev.runners.persistence.Database;
import dev.runners.persistence.EventJournal;
import dev.runners.persistence.EventNotifications;
import dev.runners.server.metrics.EventSubscriberMetrics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Delivery of the change feed to this instance's subscribers. An event committed here is signalled
 * after its commit; one committed on another instance arrives as a PostgreSQL notification (the only
 * channel between instances). Either way the feed reads the organization's new events from the table
 * once and pushes them to every subscriber of that organization; each subscriber keeps its own
 * order (see {@link FeedSubscription}). A periodic read per followed organization covers a lost
 * notification.
 */
@ApplicationScoped
public class ChangeFeed {
    private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());
    private static final int FETCH_PAGE = 500;
    private static final long SAFETY_FETCH_SECONDS = 5;

    private final EventRepository events;
    private final EventJournal journal;
    private final Database database;
    private final int maxStreamsPerKey;
    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> streamsPerKey = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private EventSubscriberMetrics metrics;
    private final ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService ticker;
    private EventNotifications notifications;

    @Inject
    ChangeFeed(EventRepository events, EventJournal journal, Database database, EventSubscriberMetrics metrics,
               @ConfigProperty(name = "runners.events.max-streams-per-key", defaultValue = "10") int maxStreamsPerKey) {
        if (maxStreamsPerKey < 1) {
            throw new IllegalStateException("runners.events.max-streams-per-key (RUNNERS_EVENTS_MAX_STREAMS_PER_KEY) "
                    + "must be at least 1, was " + maxStreamsPerKey);
        }
        this.events = events;
        this.journal = journal;
        this.database = database;
        this.maxStreamsPerKey = maxStreamsPerKey;
        this.metrics = metrics;
    }

    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 50)
               @Initialized(ApplicationScoped.class) Object event) {
        journal.onCommit(this::committed);
        if (database.isPostgres()) {
            notifications = new EventNotifications(database, this::committed, this::recheckAll);
            notifications.start();
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("change-feed-ticker")
                .unstarted(r));
        ticker.scheduleWithFixedDelay(() -> channels.values().forEach(Channel::signal),
                SAFETY_FETCH_SECONDS, SAFETY_FETCH_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Ends every stream and waiting poll, so that a shutdown is not held up by them: after readiness
     * went DOWN (ShutdownReadiness), before the web server stops (Helidon observes at PLATFORM_BEFORE).
     */
    void stop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE - 50)
              @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (notifications != null) {
            notifications.close();
        }
        channels.values().forEach(channel -> channel.subscriptions.forEach(FeedSubscription::close));
        fetchers.shutdownNow();
    }

    /** Open SSE streams and waiting long polls on this instance (the "event subscribers" of /metrics). */
    public int subscriberCount() {
        return subscribers.get();
    }

    /** The cap of concurrent streams and waiting polls per API key. */
    int maxStreamsPerKey() {
        return maxStreamsPerKey;
    }

    /**
     * Follows the organization's feed from {@code since}, counted against the key's cap.
     *
     * @return empty when the key already holds {@link #maxStreamsPerKey()} streams or waiting polls
     */
    java.util.Optional<FeedSubscription> subscribe(long organizationId, long apiKeyId, long since) {
        AtomicInteger held = streamsPerKey.computeIfAbsent(apiKeyId, id -> new AtomicInteger());
        if (held.incrementAndGet() > maxStreamsPerKey) {
            held.decrementAndGet();
            return java.util.Optional.empty();
        }
        subscribers.incrementAndGet();
        metrics.subscribed();
        AtomicBoolean released = new AtomicBoolean();
        FeedSubscription[] self = new FeedSubscription[1];
        self[0] = new FeedSubscription(organizationId, since, events, () -> {
            if (released.compareAndSet(false, true)) {
                held.decrementAndGet();
                subscribers.decrementAndGet();
                metrics.unsubscribed();
                leave(self[0]);
            }
        });
        channels.compute(organizationId, (id, channel) -> {
            Channel joined = channel == null ? new Channel(id) : channel;
            joined.subscriptions.add(self[0]);
            return joined;
        });
        return java.util.Optional.of(self[0]);
    }

    private void leave(FeedSubscription subscription) {
        channels.computeIfPresent(subscription.organizationId(), (id, channel) -> {
            channel.subscriptions.remove(subscription);
            return channel.subscriptions.isEmpty() ? null : channel;
        });
    }

    /** An event of {@code organizationId} up to {@code version} was committed (here or on another instance). */
    void committed(long organizationId, long version) {
        Channel channel = channels.get(organizationId);
        if (channel != null) {
            channel.signal();
        }
    }

    /** Notifications may have been lost: every subscriber reads the table once. */
    private void recheckAll() {
        channels.values().forEach(channel -> channel.subscriptions.forEach(FeedSubscription::recheck));
    }

    /** The subscribers of one organization on this instance, and what the feed last read for them. */
    private final class Channel {
        final long organizationId;
        final Set<FeedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
        final AtomicBoolean pending = new AtomicBoolean();
        final AtomicBoolean fetching = new AtomicBoolean();
        /** The version up to which events were read and pushed; subscribers that joined later catch up alone. */
        volatile long cursor = -1;

        Channel(long organizationId) {
            this.organizationId = organizationId;
        }

        void signal() {
            pending.set(true);
            if (fetching.compareAndSet(false, true)) {
                try {
                    fetchers.execute(this::fetch);
                } catch (RuntimeException shuttingDown) {
                    fetching.set(false);
                }
            }
        }

        private void fetch() {
            try {
                while (pending.getAndSet(false)) {
                    if (cursor < 0) {
                        // the first read: only what follows is pushed; subscribers read what came before
                        cursor = Math.max(0, minimumDelivered());
                    }
                    List<FeedEvent> page;
                    do {
                        page = events.after(organizationId, cursor, FETCH_PAGE);
                        for (FeedEvent event : page) {
                            subscriptions.forEach(subscription -> subscription.push(event));
                            cursor = event.version();
                        }
                    } while (page.size() == FETCH_PAGE);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Change feed read failed; retried on the next signal", e);
            } finally {
                fetching.set(false);
                if (pending.get()) {
                    signal();
                }
            }
        }

        private long minimumDelivered() {
            return subscriptions.stream().mapToLong(FeedSubscription::delivered).min().orElse(0);
        }
    }
}
