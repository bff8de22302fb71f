package dev.runners.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL only: one dedicated connection per instance that LISTENs for the notifications of
 * {@link EventJournal}, so that an event committed through any instance reaches the subscribers of
 * this one. Each notification carries {@code organization:version}; subscribers then read the events
 * table. After every (re)connection {@code caughtUp} runs, since notifications sent while nobody
 * listened are lost.
 */
public final class EventNotifications implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventNotifications.class.getName());
    private static final int POLL_MILLIS = 250;
    private static final Duration VALIDATION_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final Database database;
    private final EventJournal.CommitListener listener;
    private final Runnable caughtUp;
    private volatile boolean running = true;
    private volatile Connection connection;
    private Thread thread;

    public EventNotifications(Database database, EventJournal.CommitListener listener, Runnable caughtUp) {
        this.database = database;
        this.listener = listener;
        this.caughtUp = caughtUp;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("runner-event-notifications").start(this::listen);
        }
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection c = database.dedicatedConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement statement = c.createStatement()) {
                    statement.execute(database.statementText("event-listen"));
                }
                if (warned) {
                    LOG.log(System.Logger.Level.INFO, "Listening for change-feed notifications again");
                    warned = false;
                }
                caughtUp.run();
                receive(c.unwrap(PGConnection.class), c);
            } catch (SQLException | RuntimeException e) {
                if (running && !warned) {
                    LOG.log(System.Logger.Level.WARNING, "Change-feed notifications interrupted (" + e.getClass().getSimpleName()
                            + "); reconnecting");
                    warned = true;
                }
            } finally {
                connection = null;
            }
            pause();
        }
    }

    private void receive(PGConnection pg, Connection c) throws SQLException {
        Instant validated = Instant.now();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    deliver(notification.getParameter());
                }
            }
            if (Instant.now().isAfter(validated.plus(VALIDATION_INTERVAL))) {
                // a connection cut without a reset is found here, not by waiting for notifications
                if (!c.isValid(2)) {
                    throw new SQLException("notification connection is no longer valid", "08006");
                }
                validated = Instant.now();
            }
        }
    }

    private void deliver(String payload) {
        int colon = payload.indexOf(':');
        try {
            listener.committed(Long.parseLong(payload.substring(0, colon)), Long.parseLong(payload.substring(colon + 1)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Ignoring a malformed change-feed notification");
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
