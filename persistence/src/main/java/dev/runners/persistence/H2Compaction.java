package dev.runners.persistence;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.dbclient.DbClient;

/**
 * H2 (2.3) compacts its file from the background thread that {@code WRITE_DELAY=0} turns off (see
 * {@link ConnectionDefaults}); without that, the chunks each commit leaves half used are never
 * rewritten and the file grows for as long as the service writes. A {@code CHECKPOINT} now and then
 * does that work instead: it rewrites chunks less than half full, a few MB at a time.
 */
final class H2Compaction implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(H2Compaction.class.getName());
    private static final long EVERY_SECONDS = 10;
    private static final String ADMIN_RIGHTS_REQUIRED = "90040";

    private final DbClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("h2-compaction").factory());
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    private H2Compaction(DbClient client) {
        this.client = client;
    }

    static H2Compaction start(DbClient client) {
        H2Compaction compaction = new H2Compaction(client);
        compaction.timer.scheduleWithFixedDelay(compaction::run, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        return compaction;
    }

    private void run() {
        try {
            client.execute().namedDml("h2-checkpoint");
        } catch (RuntimeException e) {
            // a database that is down is readiness's news; a user without admin rights is said once
            if (Database.sqlState(e).filter(ADMIN_RIGHTS_REQUIRED::equals).isPresent()
                    && refusalLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "H2 refused CHECKPOINT (the database user needs admin"
                        + " rights): the database file will not be compacted while the service runs");
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
