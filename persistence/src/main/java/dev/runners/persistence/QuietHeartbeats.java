package dev.runners.persistence;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.runners.domain.Heartbeat;
import dev.runners.domain.Runner;

/**
 * PostgreSQL: the quiet heartbeats of the moment, applied together (runner-heartbeat-quiet-postgresql),
 * as the database groups the commits of the moment. A heartbeat that arrives while
 * {@link #MOST_IN_FLIGHT} statements are running waits for the next one, with the heartbeats that arrive
 * meanwhile; a statement holds at most {@link #MOST_PER_STATEMENT} heartbeats and one per runner, so a
 * heartbeat applied is this runner's row, and a caller returns only once the statement that holds its
 * heartbeat has committed. No heartbeat waits for a statement that does not hold it to be assembled: a
 * free slot goes to whichever waiting caller sees it first, and that caller runs the statement for
 * every heartbeat waiting. A statement that fails is retried for each of its heartbeats alone, so one
 * heartbeat's failure is that heartbeat's own.
 */
final class QuietHeartbeats {
    static final int MOST_PER_STATEMENT = 64;
    static final int MOST_IN_FLIGHT = 2;

    private final Database database;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    private final ArrayDeque<Beat> waiting = new ArrayDeque<>();
    private int inFlight;

    QuietHeartbeats(Database database) {
        this.database = database;
    }

    /** Applies the heartbeat when the stored runner is what {@code quiet} admits: the runner as stored, or empty. */
    Optional<Runner> apply(long organizationId, long runnerId, Heartbeat.Quiet quiet, Instant now) {
        Beat beat = new Beat(organizationId, runnerId, quiet, now);
        lock.lock();
        try {
            waiting.add(beat);
            while (!beat.done) {
                // an empty queue with this heartbeat not done: a running statement holds it
                if (inFlight < MOST_IN_FLIGHT && !waiting.isEmpty()) {
                    List<Beat> statement = nextStatement();
                    inFlight++;
                    lock.unlock();
                    try {
                        run(statement);
                    } finally {
                        lock.lock();
                        inFlight--;
                        ended.signalAll();
                    }
                } else {
                    ended.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (beat.failure != null) {
            throw beat.failure;
        }
        return Optional.ofNullable(beat.stored);
    }

    /** The oldest waiting heartbeats, one per runner, at most {@link #MOST_PER_STATEMENT}; taken off the queue. */
    private List<Beat> nextStatement() {
        List<Beat> statement = new ArrayList<>();
        Set<Long> runners = new HashSet<>();
        for (Iterator<Beat> it = waiting.iterator(); it.hasNext() && statement.size() < MOST_PER_STATEMENT; ) {
            Beat beat = it.next();
            if (runners.add(beat.runnerId)) {
                statement.add(beat);
                it.remove();
            }
        }
        statement.sort(Comparator.comparingLong(Beat::runnerId));
        return statement;
    }

    /** Runs one statement and settles each of its heartbeats (under the lock, so that their callers see it). */
    private void run(List<Beat> statement) {
        Map<Long, Runner> stored = null;
        RuntimeException failure = null;
        try {
            stored = applyTogether(statement);
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null && statement.size() > 1) {
            for (Beat beat : statement) {
                run(List.of(beat));
            }
            return;
        }
        lock.lock();
        try {
            for (Beat beat : statement) {
                beat.stored = stored == null ? null : stored.get(beat.runnerId);
                beat.failure = failure;
                beat.done = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private Map<Long, Runner> applyTogether(List<Beat> statement) {
        int n = statement.size();
        long[] runnerIds = new long[n];
        long[] organizationIds = new long[n];
        String[] reportedStatuses = new String[n];
        String[] notBefore = new String[n];
        String[] versions = new String[n];
        String[] oses = new String[n];
        String[] arches = new String[n];
        String[] labelSets = new String[n];
        String[] maxPods = new String[n];
        String[] at = new String[n];
        for (int i = 0; i < n; i++) {
            Beat beat = statement.get(i);
            Heartbeat.Quiet quiet = beat.quiet;
            runnerIds[i] = beat.runnerId;
            organizationIds[i] = beat.organizationId;
            reportedStatuses[i] = quiet.state().wireName();
            notBefore[i] = quiet.heartbeatNotBefore().toString();
            versions[i] = quiet.version();
            oses[i] = quiet.os();
            arches[i] = quiet.arch();
            labelSets[i] = quiet.labels() == null ? null : quiet.labels().joined();
            maxPods[i] = quiet.maxPods() == null ? null : quiet.maxPods().toString();
            at[i] = beat.now.toString();
        }
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("runner_ids", runnerIds);
        parameters.put("organization_ids", organizationIds);
        parameters.put("reported_statuses", reportedStatuses);
        parameters.put("heartbeats_not_before", notBefore);
        parameters.put("versions", versions);
        parameters.put("oses", oses);
        parameters.put("arches", arches);
        parameters.put("label_sets", labelSets);
        parameters.put("max_pods_each", maxPods);
        parameters.put("heartbeats_at", at);
        return database.writeAlone("runner-heartbeat-quiet-postgresql", parameters, rows -> {
            Map<Long, Runner> applied = new HashMap<>();
            JdbcRunnerRepository.RunnerColumns columns = null;
            while (rows.next()) {
                if (columns == null) {
                    columns = JdbcRunnerRepository.RunnerColumns.of(rows);
                }
                Runner runner = columns.runner(rows);
                applied.put(runner.id(), runner);
            }
            return applied;
        });
    }

    /** One caller's heartbeat; its outcome is written and read under the lock. */
    private static final class Beat {
        final long organizationId;
        final long runnerId;
        final Heartbeat.Quiet quiet;
        final Instant now;
        boolean done;
        Runner stored;
        RuntimeException failure;

        Beat(long organizationId, long runnerId, Heartbeat.Quiet quiet, Instant now) {
            this.organizationId = organizationId;
            this.runnerId = runnerId;
            this.quiet = quiet;
            this.now = now;
        }

        long runnerId() {
            return runnerId;
        }
    }
}
