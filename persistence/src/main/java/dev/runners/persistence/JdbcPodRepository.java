package dev.runners.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runners.domain.Change;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.Pod;
import dev.runners.domain.PodFilter;
import dev.runners.domain.PodLifecycle;
import dev.runners.domain.PodRepository;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.UnknownResourceException;
import dev.runners.domain.Runner;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatement;
import io.helidon.dbclient.DbStatementGet;
import io.helidon.dbclient.DbTransaction;

/**
 * Pods on Helidon DB Client. Every write changes its runner's counts ({@code pod_count} and one
 * count per status) by what it changed, in the same transaction, under the runner's row lock, so
 * the counts stay exact and a write costs the same however many pods the runner had. What a
 * report means (the lifecycle) is {@link PodLifecycle}'s; this class loads, locks and stores.
 */
public final class JdbcPodRepository implements PodRepository {
    private final Database database;
    private final EventJournal journal;

    public JdbcPodRepository(Database database, EventJournal journal) {
        this.database = database;
        this.journal = journal;
    }

    @Override
    public Optional<Page<Pod>> page(long organizationId, long runnerId, PodFilter filter, PageRequest page) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("organization_id", organizationId);
        parameters.put("runner_id", runnerId);
        parameters.put("limit", page.limit());
        parameters.put("offset", page.offset());
        if (!filter.allStatuses()) {
            List<String> statuses = new ArrayList<>();
            for (PodStatus status : filter.statuses()) {
                statuses.add(status.wireName());
            }
            FilterSlots.values(parameters, "status", PodStatus.values().length, statuses);
            // the total adds up the runner's count of each status asked for
            for (PodStatus status : PodStatus.values()) {
                parameters.put(status.wireName(), statuses.contains(status.wireName()) ? 1 : 0);
            }
        }
        // H2 has a statement of its own for the unfiltered page (see pods-page-all-h2)
        String statement = !filter.allStatuses() ? "pods-page"
                : database.isPostgres() ? "pods-page-all" : "pods-page-all-h2";
        return database.readRows(statement, parameters, rows -> {
            int total = rows.findColumn("total");
            int key = rows.findColumn("pod_key");
            int status = rows.findColumn("status");
            int agentTypeId = rows.findColumn("agent_type_id");
            int initialPrompt = rows.findColumn("initial_prompt");
            int createdAt = rows.findColumn("created_at");
            Long count = null;
            List<Pod> pods = new ArrayList<>();
            while (rows.next()) {
                count = rows.getLong(total);
                String podKey = rows.getString(key);
                if (podKey != null) {
                    pods.add(new Pod(podKey, PodStatus.fromWire(rows.getString(status)).orElseThrow(),
                            rows.getString(agentTypeId), rows.getString(initialPrompt),
                            Columns.instant(rows, createdAt)));
                }
            }
            return count == null ? Optional.<Page<Pod>>empty() : Optional.of(new Page<>(pods, count));
        });
    }

    @Override
    public PodReport report(long organizationId, long runnerId, String key, PodUpdate update, Instant now) {
        try {
            return reportOnce(organizationId, runnerId, key, update, now);
        } catch (RuntimeException e) {
            if (!Database.isUniqueViolation(e)) {
                throw e;
            }
        }
        // the key was taken between our check and our insert: by this runner (then this is an
        // update of that pod) or by another one (a conflict); the second try tells which
        try {
            return reportOnce(organizationId, runnerId, key, update, now);
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                throw PodLifecycle.keyTaken(key);
            }
            throw e;
        }
    }

    /**
     * Loads, locks and stores; what a report means is {@link PodLifecycle}'s to decide. A new pod on
     * PostgreSQL is two round trips and the commit: the runner's counts with the pod, then the event
     * (numbered after the commit, see {@link EventJournal}); on H2 the counts and the pod are two.
     */
    private PodReport reportOnce(long organizationId, long runnerId, String key, PodUpdate update, Instant now) {
        return database.inTransaction(tx -> {
            // counted as a new pod first: the update locks the runner's row (and finds it, or not),
            // so the pod is written after any delete of the runner, and counted exactly; the
            // common case, a new pod, is done then (on PostgreSQL in the same statement)
            Runner runner;
            boolean inserted;
            if (database.isPostgres()) {
                DbRow counted = withPod(counts(tx, "pod-insert-new-counted-postgresql", organizationId, runnerId, null,
                        update.status()), key, update, now)
                        .execute()
                        .orElseThrow(() -> new UnknownResourceException("runner " + runnerId + " not found"));
                runner = JdbcRunnerRepository.runner(counted);
                inserted = Columns.longValue(counted, "inserted") == 1;
            } else {
                runner = countPods(tx, organizationId, runnerId, null, update.status())
                        .orElseThrow(() -> new UnknownResourceException("runner " + runnerId + " not found"));
                inserted = insert(tx, "pod-insert-new", organizationId, runnerId, key, update, now) == 1;
            }
            PodReport report;
            if (inserted) {
                report = PodLifecycle.create(key, update, now);
            } else {
                Optional<DbRow> existing = tx.createNamedGet("pod-by-key")
                        .addParam("organization_id", organizationId)
                        .addParam("pod_key", key)
                        .execute();
                if (existing.isEmpty()) {
                    // its holder was deleted with its runner in the meantime: the key is free again
                    insert(tx, "pod-insert", organizationId, runnerId, key, update, now);
                    report = PodLifecycle.create(key, update, now);
                } else {
                    Pod stored = pod(existing.get());
                    report = PodLifecycle.update(runnerId, Columns.longValue(existing.get(), "runner_id"), stored,
                            update);
                    if (report.changed()) {
                        tx.createNamedUpdate("pod-update-status")
                                .addParam("organization_id", organizationId)
                                .addParam("pod_key", stored.key())
                                .addParam("status", report.pod().status().wireName())
                                .addParam("updated_at", Columns.timestamp(now))
                                .execute();
                    }
                    // not a new pod after all: one pod moved from its stored status to the new one
                    runner = countPods(tx, organizationId, runnerId, stored.status(), null).orElseThrow();
                }
            }
            if (report.changed()) {
                journal.append(tx, organizationId, Change.podChanged(runner, report.pod(), now));
            }
            return report;
        });
    }

    /** Inserts the pod with {@code statement}; {@code pod-insert-new} inserts nothing when the key is held. */
    private static long insert(DbTransaction tx, String statement, long organizationId, long runnerId, String key,
                               PodUpdate update, Instant now) {
        return withPod(tx.createNamedInsert(statement)
                .addParam("organization_id", organizationId)
                .addParam("runner_id", runnerId), key, update, now)
                .execute();
    }

    /** {@code statement} with a new pod's fields bound: its key, status, agent type, prompt and creation time. */
    private static <S extends DbStatement<S>> S withPod(S statement, String key, PodUpdate update, Instant now) {
        return statement
                .addParam("pod_key", key)
                .addParam("status", update.status().wireName())
                .addParam("agent_type_id", update.agentTypeId())
                .addParam("initial_prompt", update.initialPrompt())
                .addParam("created_at", Columns.timestamp(now));
    }

    /**
     * Moves one pod of the runner's counts from {@code before} to {@code after} (null: no pod),
     * under the runner's row lock; the runner as counted, or empty when it is not the organization's.
     */
    private Optional<Runner> countPods(DbTransaction tx, long organizationId, long runnerId, PodStatus before,
                                       PodStatus after) {
        return counts(tx, database.dialect("runner-count-pods"), organizationId, runnerId, before, after)
                .execute().map(JdbcRunnerRepository::runner);
    }

    /** {@code statement} with the runner and the count deltas of one pod moving from {@code before} to {@code after} bound. */
    private static DbStatementGet counts(DbTransaction tx, String statement, long organizationId,
                                                             long runnerId, PodStatus before, PodStatus after) {
        var counts = tx.createNamedGet(statement)
                .addParam("id", runnerId)
                .addParam("organization_id", organizationId);
        int active = 0;
        for (PodStatus status : PodStatus.values()) {
            int delta = (status == after ? 1 : 0) - (status == before ? 1 : 0);
            counts.addParam(status.wireName(), delta);
            if (status.isActive()) {
                active += delta;
            }
        }
        return counts.addParam("active", active);
    }

    private static Pod pod(DbRow row) {
        return new Pod(
                Columns.string(row, "pod_key"),
                PodStatus.fromWire(Columns.string(row, "status")).orElseThrow(),
                Columns.string(row, "agent_type_id"),
                Columns.string(row, "initial_prompt"),
                Columns.instant(row, "created_at"));
    }
}
