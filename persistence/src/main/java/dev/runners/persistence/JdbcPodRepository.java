package dev.runners.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
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

/**
 * Pods: named statements over plain JDBC on the DB Client's pool ({@link Database#readRows},
 * {@link Database#inJdbcTransaction}). Every write changes its runner's counts ({@code pod_count} and one
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
        if (database.isPostgres()) {
            try {
                Optional<PodReport> created = createAlone(organizationId, runnerId, key, update, now);
                if (created.isPresent()) {
                    return created.get();
                }
            } catch (RuntimeException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw e;
                }
                // the key was taken while this waited for the runner: nothing was written
            }
        }
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
     * PostgreSQL, the hottest write of the service: a new pod in one statement, committed on its own
     * (one round trip: the runner's counts, the pod and its event, stored as its facts, see
     * {@link EventJournal#addNewPodEvent}). Empty when it wrote nothing, because the runner is not the
     * organization's or the key is held: {@link #reportOnce} then tells which, and what the report means.
     */
    private Optional<PodReport> createAlone(long organizationId, long runnerId, String key, PodUpdate update,
                                            Instant now) {
        Map<String, Object> parameters = counts(organizationId, runnerId, null, update.status());
        parameters.putAll(newPod(organizationId, runnerId, key, update, now));
        EventJournal.addNewPodEvent(parameters);
        boolean created = database.writeAlone("pod-insert-new-postgresql", parameters, ResultSet::next);
        if (!created) {
            return Optional.empty();
        }
        journal.committedAlone(organizationId);
        return Optional.of(PodLifecycle.create(key, update, now));
    }

    /**
     * Loads, locks and stores; what a report means is {@link PodLifecycle}'s to decide: the runner's
     * counts first (the update locks its row, and finds it, or not), then the pod, then the event
     * (numbered after the commit on PostgreSQL, see {@link EventJournal}). Over plain JDBC
     * ({@link Database#inJdbcTransaction}).
     */
    private PodReport reportOnce(long organizationId, long runnerId, String key, PodUpdate update, Instant now) {
        return database.inJdbcTransaction(tx -> {
            // counted as a new pod first: the update locks the runner's row (and finds it, or not),
            // so the pod is written after any delete of the runner, and counted exactly
            Map<String, Object> newPod = newPod(organizationId, runnerId, key, update, now);
            Runner runner = countPods(tx, organizationId, runnerId, null, update.status())
                    .orElseThrow(() -> new UnknownResourceException("runner " + runnerId + " not found"));
            boolean inserted = tx.update("pod-insert-new", newPod) == 1;
            PodReport report;
            if (inserted) {
                report = PodLifecycle.create(key, update, now);
            } else {
                Optional<Held> existing = tx.query("pod-by-key",
                        Map.of("organization_id", organizationId, "pod_key", key),
                        rows -> rows.next() ? Optional.of(new Held(rows.getLong("runner_id"), pod(rows)))
                                : Optional.<Held>empty());
                if (existing.isEmpty()) {
                    // its holder was deleted with its runner in the meantime: the key is free again
                    tx.update("pod-insert", newPod);
                    report = PodLifecycle.create(key, update, now);
                } else {
                    Pod stored = existing.get().pod();
                    report = PodLifecycle.update(runnerId, existing.get().runnerId(), stored, update);
                    if (report.changed()) {
                        tx.update("pod-update-status", Map.of(
                                "organization_id", organizationId,
                                "pod_key", stored.key(),
                                "status", report.pod().status().wireName(),
                                "updated_at", Columns.timestamp(now)));
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

    /** A stored pod and the runner that holds it. */
    private record Held(long runnerId, Pod pod) {
    }

    /**
     * A new pod's fields by parameter name, for every statement that inserts one: its organization,
     * runner, key, status, agent type, prompt and creation time.
     */
    private static Map<String, Object> newPod(long organizationId, long runnerId, String key, PodUpdate update,
                                              Instant now) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("organization_id", organizationId);
        parameters.put("runner_id", runnerId);
        parameters.put("pod_key", key);
        parameters.put("status", update.status().wireName());
        parameters.put("agent_type_id", update.agentTypeId());
        parameters.put("initial_prompt", update.initialPrompt());
        parameters.put("created_at", Columns.timestamp(now));
        return parameters;
    }

    /**
     * Moves one pod of the runner's counts from {@code before} to {@code after} (null: no pod),
     * under the runner's row lock; the runner as counted, or empty when it is not the organization's.
     */
    private Optional<Runner> countPods(Database.JdbcTransaction tx, long organizationId, long runnerId,
                                       PodStatus before, PodStatus after) {
        return tx.query(database.dialect("runner-count-pods"), counts(organizationId, runnerId, before, after),
                rows -> rows.next() ? Optional.of(JdbcRunnerRepository.runner(rows)) : Optional.<Runner>empty());
    }

    /** The runner and the count deltas of one pod moving from {@code before} to {@code after}, by parameter name. */
    private static Map<String, Object> counts(long organizationId, long runnerId, PodStatus before, PodStatus after) {
        Map<String, Object> counts = new HashMap<>();
        counts.put("id", runnerId);
        counts.put("organization_id", organizationId);
        int active = 0;
        for (PodStatus status : PodStatus.values()) {
            int delta = (status == after ? 1 : 0) - (status == before ? 1 : 0);
            counts.put(status.wireName(), delta);
            if (status.isActive()) {
                active += delta;
            }
        }
        counts.put("active", active);
        return counts;
    }

    private static Pod pod(ResultSet row) throws SQLException {
        return new Pod(
                row.getString("pod_key"),
                PodStatus.fromWire(row.getString("status")).orElseThrow(),
                row.getString("agent_type_id"),
                row.getString("initial_prompt"),
                Columns.instant(row, row.findColumn("created_at")));
    }
}
