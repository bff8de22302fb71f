package dev.runners.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.runners.domain.Change;
import dev.runners.domain.ChangeEncoder;
import dev.runners.domain.ChangeType;
import dev.runners.domain.Pod;
import dev.runners.domain.PodStatus;
import dev.runners.domain.Runner;
import io.helidon.dbclient.DbTransaction;

/**
 * Appends the events of writing transactions, and gives them their versions: per organization,
 * from 1, without gaps, in commit order (SPEC, endpoint 13).
 * <ul>
 * <li>PostgreSQL: the write stores its event unnumbered, as the last statement of its transaction,
 * and takes no lock for it, so the writers of an organization commit (and flush) side by side; a new
 * pod, written by one statement that learns its runner's counts only as it runs, stores its event's
 * facts instead of its body ({@link #addNewPodEvent}, {@link #committedAlone}). A numbering pass, in
 * a transaction of its own, takes the pending events of the organization, encodes those stored as
 * facts as the writer would have, moves them all under the next versions and queues one notification
 * for every listening instance. The writer does not wait for it:
 * once it has committed, it asks for a pass in the background ({@link #numberSoon}), and the writes
 * that commit while one is asked for or running share the next. Whoever reads the feed first waits
 * for a pass that starts after its read began ({@link #settle}), so a read finds the event of every
 * write that returned before it, on any instance. Passes of one organization run one at a time on
 * this instance (the callers that arrive during a pass share the next one); passes of several
 * instances take the pending rows in id order and wait for what another took. A crash between the
 * commit and the pass leaves the event pending until the next read or {@link #numberLeftovers}
 * numbers it.</li>
 * <li>H2 (embedded, one instance): the organization's counter row is incremented in the write's
 * transaction, which holds its lock until the commit; the event is stored under the new version.</li>
 * </ul>
 * Subscribers of this instance are told after the commit (H2) or the pass (PostgreSQL), without
 * waiting for the notification.
 */
public final class EventJournal {
    private static final System.Logger LOG = System.getLogger(EventJournal.class.getName());
    /** The most events one step of a pass numbers; a pass repeats it until none is left. */
    private static final int EVENTS_PER_PASS_STEP = 1_000;

    /** Told (organization, version) after a transaction that appended an event has committed. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(long organizationId, long version);
    }

    private final Database database;
    private final ChangeEncoder encoder;
    private final Map<Long, Passes> passes = new ConcurrentHashMap<>();
    /** Organizations with a background pass asked for that has not started yet. */
    private final Set<Long> asked = ConcurrentHashMap.newKeySet();
    private final ExecutorService numberers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile CommitListener listener = (organization, version) -> { };

    public EventJournal(Database database, ChangeEncoder encoder) {
        this.database = database;
        this.encoder = Objects.requireNonNull(encoder);
    }

    public void onCommit(CommitListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /**
     * Appends {@code change} to the organization's feed within {@code tx}, encoded before any lock.
     * On PostgreSQL the event is numbered after {@code tx} has committed, in the background; a read of
     * the feed that starts after the write returned finds it ({@link #settle}).
     */
    void append(DbTransaction tx, long organizationId, Change change) {
        append(new Statements() {
            @Override
            public void insert(String statement, Map<String, Object> parameters) {
                tx.createNamedInsert(statement).params(parameters).execute();
            }

            @Override
            public Optional<Long> version(String statement, Map<String, Object> parameters) {
                return tx.createNamedGet(statement).params(parameters).execute()
                        .map(row -> Columns.longValue(row, "version"));
            }
        }, organizationId, change);
    }

    /** As {@link #append(DbTransaction, long, Change)}, within a plain-JDBC transaction. */
    void append(Database.JdbcTransaction tx, long organizationId, Change change) {
        append(new Statements() {
            @Override
            public void insert(String statement, Map<String, Object> parameters) {
                tx.update(statement, parameters);
            }

            @Override
            public Optional<Long> version(String statement, Map<String, Object> parameters) {
                return tx.query(statement, parameters,
                        rows -> rows.next() ? Optional.of(rows.getLong("version")) : Optional.<Long>empty());
            }
        }, organizationId, change);
    }

    /** The statements of an append, run in the transaction it is part of, whichever its form. */
    private interface Statements {
        void insert(String statement, Map<String, Object> parameters);

        /** The {@code version} column of the one row that {@code statement} returns. */
        Optional<Long> version(String statement, Map<String, Object> parameters);
    }

    private void append(Statements tx, long organizationId, Change change) {
        Map<String, Object> event = event(organizationId, change);
        if (database.isPostgres()) {
            tx.insert("event-pending-insert-postgresql", event);
            Database.afterCommit(() -> numberSoon(organizationId));
            return;
        }
        long version = tx.version("event-counter-next-h2", Map.of("organization_id", organizationId))
                .orElseThrow(() -> new IllegalStateException("organization " + organizationId + " has no event counter"));
        event.put("version", version);
        tx.insert("event-insert-h2", event);
        Database.afterCommit(() -> listener.committed(organizationId, version));
    }

    /**
     * PostgreSQL: the parameters that a statement storing a new pod's event as its facts takes from
     * the journal (pod-insert-new-postgresql: the event's type; the runner and the pod are the
     * statement's own).
     */
    static void addNewPodEvent(Map<String, Object> parameters) {
        parameters.put("event_type", ChangeType.POD_CHANGED.wireName());
    }

    /**
     * PostgreSQL: a statement that stored its event as facts has committed on its own: a numbering
     * pass is asked for, as after a transaction that appended one.
     */
    void committedAlone(long organizationId) {
        numberSoon(organizationId);
    }

    /** The parameters of an event's insert, its body encoded without the version. */
    private Map<String, Object> event(long organizationId, Change change) {
        Map<String, Object> event = new HashMap<>();
        event.put("organization_id", organizationId);
        event.put("event_type", change.type().wireName());
        event.put("runner_id", change.runnerId());
        event.put("occurred_at", Columns.timestamp(change.at()));
        event.put("body_after_version", encoder.encodeAfterVersion(change));
        return event;
    }

    /**
     * Returns once every event of the organization whose write had committed when this was called is
     * numbered (PostgreSQL: a pass that starts after now; nothing to do on H2, where writes number
     * their own). The feed's reads call it first, so they find every write that returned.
     */
    public void settle(long organizationId) {
        if (database.isPostgres()) {
            number(organizationId);
        }
    }

    /**
     * Stops asking for background passes and lets the running ones end (a few seconds at most); what
     * stays pending is numbered by the next read or look for leftovers, on any instance.
     */
    public void close() {
        numberers.shutdown();
        try {
            numberers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks for a pass of the organization in the background, unless one is asked for and not started:
     * that one starts after this commit and numbers its event too.
     */
    private void numberSoon(long organizationId) {
        if (!asked.add(organizationId)) {
            return;
        }
        try {
            numberers.execute(() -> {
                asked.remove(organizationId);
                number(organizationId);
            });
        } catch (RejectedExecutionException closed) {
            // shutting down: the next read, or the next instance's look for leftovers, numbers it
            asked.remove(organizationId);
        }
    }

    /**
     * PostgreSQL: numbers the events that no pass numbered, which an instance that stopped between a
     * write's commit and its pass leaves behind; a no-op on H2. Called periodically.
     */
    public void numberLeftovers() {
        if (!database.isPostgres()) {
            return;
        }
        List<Long> organizations = database.read(exec -> exec.createNamedQuery("events-pending-organizations-postgresql")
                .execute()
                .map(row -> Columns.longValue(row, "organization_id"))
                .toList());
        organizations.forEach(this::number);
    }

    /** Waits for a numbering pass of the organization that starts after now; runs it when none is running. */
    private void number(long organizationId) {
        passes.computeIfAbsent(organizationId, Passes::new).awaitOneStartingNow();
    }

    /**
     * One pass: the organization's pending events numbered, at most {@link #EVENTS_PER_PASS_STEP} at a
     * time, each step in a transaction of its own; then this instance is told.
     */
    private void pass(long organizationId) {
        long version = 0;
        try {
            long[] step;
            do {
                step = database.inJdbcTransaction(tx -> numberSome(tx, organizationId));
                if (step[1] > 0) {
                    version = step[1];
                }
            } while (step[0] == EVENTS_PER_PASS_STEP);
        } catch (RuntimeException e) {
            // the writes are committed and their events stay pending: the next pass, or the
            // periodic look for leftovers, numbers them
            LOG.log(System.Logger.Level.WARNING, "Numbering the change-feed events of organization " + organizationId
                    + " failed (" + e.getClass().getSimpleName() + "); retried by the next pass");
        }
        if (version > 0) {
            listener.committed(organizationId, version);
        }
    }

    /**
     * One step of a pass: takes (locks) the organization's oldest pending events, encodes those stored
     * as facts, and numbers them all. Returns {events taken, last version given} ({0, 0} when nothing
     * was pending).
     */
    private long[] numberSome(Database.JdbcTransaction tx, long organizationId) {
        List<Long> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        tx.query("events-pending-take-postgresql",
                Map.of("organization_id", organizationId, "limit", EVENTS_PER_PASS_STEP), rows -> {
                    while (rows.next()) {
                        ids.add(rows.getLong("event_id"));
                        String body = rows.getString("body_after_version");
                        bodies.add(body != null ? body : encoder.encodeAfterVersion(storedFacts(rows)));
                    }
                    return null;
                });
        if (ids.isEmpty()) {
            return new long[2];
        }
        long version = tx.query("events-number-taken-postgresql", Map.of("organization_id", organizationId,
                        "ids", ids.stream().mapToLong(Long::longValue).toArray(), "bodies", bodies.toArray(String[]::new)),
                rows -> rows.next() ? rows.getLong("version") : 0L);
        return new long[] {ids.size(), version};
    }

    /** The change of a pending event stored as its facts (pod-insert-new-postgresql): the runner as counted and the pod. */
    private static Change storedFacts(ResultSet rows) throws SQLException {
        ChangeType type = ChangeType.fromWire(rows.getString("event_type")).orElseThrow();
        Runner runner = JdbcRunnerRepository.runner(rows);
        Pod pod = new Pod(rows.getString("pod_key"), PodStatus.fromWire(rows.getString("pod_status")).orElseThrow(),
                rows.getString("pod_agent_type_id"), rows.getString("pod_initial_prompt"),
                Columns.instant(rows, rows.findColumn("pod_created_at")));
        return new Change(type, runner.id(), runner, pod, Columns.instant(rows, rows.findColumn("occurred_at")));
    }

    /**
     * The numbering passes of one organization on this instance: one at a time; a caller waits for
     * a pass that starts after it arrived (so its committed event is seen), and the callers that
     * arrive during a pass share the next one.
     */
    private final class Passes {
        private final long organizationId;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ended = lock.newCondition();
        private long started;
        private long finished;
        private boolean running;

        Passes(long organizationId) {
            this.organizationId = organizationId;
        }

        void awaitOneStartingNow() {
            lock.lock();
            try {
                long wanted = started + 1;
                while (finished < wanted) {
                    if (running) {
                        ended.awaitUninterruptibly();
                        continue;
                    }
                    running = true;
                    started++;
                    lock.unlock();
                    try {
                        pass(organizationId);
                    } finally {
                        lock.lock();
                        running = false;
                        finished = started;
                        ended.signalAll();
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
