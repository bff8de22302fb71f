package dev.runners.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import dev.runners.domain.Change;
import dev.runners.domain.ConflictException;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.Pod;
import dev.runners.domain.PodFilter;
import dev.runners.domain.PodRepository;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.Runner;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementQuery;
import io.helidon.dbclient.DbTransaction;

/**
 * Pods on Helidon DB Client. Every write locks the runner's row first, so writes to one runner
 * are serialized and its {@code pod_count} is recounted exactly within the same transaction.
 */
public final class JdbcPodRepository implements PodRepository {
    private static final List<String> ACTIVE = FilterSlots.activePodStatuses();

    private final Database database;
    private final EventJournal journal;

    public JdbcPodRepository(Database database, EventJournal journal) {
        this.database = database;
        this.journal = journal;
    }

    @Override
    public Optional<Page<Pod>> page(long organizationId, long runnerId, PodFilter filter, PageRequest page) {
        List<String> statuses = new ArrayList<>();
        for (PodStatus status : filter.allStatuses() ? List.of(PodStatus.values()) : filter.statuses()) {
            statuses.add(status.wireName());
        }
        return database.read(exec -> {
            DbStatementQuery query = exec.createNamedQuery("pods-page")
                    .addParam("organization_id", organizationId)
                    .addParam("runner_id", runnerId)
                    .addParam("limit", page.limit())
                    .addParam("offset", page.offset());
            FilterSlots.values(query, "status", PodStatus.values().length, statuses);
            Long total = null;
            List<Pod> pods = new ArrayList<>();
            try (Stream<DbRow> rows = query.execute()) {
                for (DbRow row : (Iterable<DbRow>) rows::iterator) {
                    total = Columns.longValue(row, "total");
                    if (!Columns.isNull(row, "pod_key")) {
                        pods.add(pod(row));
                    }
                }
            }
            return total == null ? Optional.<Page<Pod>>empty() : Optional.of(new Page<>(pods, total));
        });
    }

    @Override
    public PodReport report(long organizationId, long runnerId, String key, PodUpdate update, Instant now) {
        try {
            return database.inTransaction(tx -> {
                JdbcRunnerRepository.lockRunner(tx, organizationId, runnerId);
                Optional<DbRow> existing = tx.createNamedGet("pod-by-key")
                        .addParam("organization_id", organizationId)
                        .addParam("pod_key", key)
                        .execute();
                PodReport report = existing.isPresent()
                        ? update(tx, organizationId, runnerId, existing.get(), update, now)
                        : create(tx, organizationId, runnerId, key, update, now);
                FilterSlots.values(tx.createNamedUpdate("runner-refresh-pod-count").addParam("id", runnerId),
                        "active", ACTIVE.size(), ACTIVE).execute();
                if (report.created() || report.changed()) {
                    Runner runner = JdbcRunnerRepository.lockRunner(tx, organizationId, runnerId);
                    journal.append(tx, organizationId, Change.podChanged(runner, report.pod(), now));
                }
                return report;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                // another runner created the same key between our read and our insert
                throw keyTaken(key);
            }
            throw e;
        }
    }

    private static PodReport create(DbTransaction tx, long organizationId, long runnerId, String key,
                                    PodUpdate update, Instant now) {
        tx.createNamedInsert("pod-insert")
                .addParam("organization_id", organizationId)
                .addParam("runner_id", runnerId)
                .addParam("pod_key", key)
                .addParam("status", update.status().wireName())
                .addParam("agent_type_id", update.agentTypeId())
                .addParam("initial_prompt", update.initialPrompt())
                .addParam("created_at", Columns.timestamp(now))
                .execute();
        return new PodReport(new Pod(key, update.status(), update.agentTypeId(), update.initialPrompt(), now), true, true);
    }

    private static PodReport update(DbTransaction tx, long organizationId, long runnerId, DbRow row,
                                    PodUpdate update, Instant now) {
        if (Columns.longValue(row, "runner_id") != runnerId) {
            throw keyTaken(Columns.string(row, "pod_key"));
        }
        Pod stored = pod(row);
        if (!stored.agentTypeId().equals(update.agentTypeId())) {
            throw immutable("agent_type_id");
        }
        if (update.initialPrompt() != null && !Objects.equals(stored.initialPrompt(), update.initialPrompt())) {
            throw immutable("initial_prompt");
        }
        if (!stored.status().canMoveTo(update.status())) {
            throw new ConflictException(ConflictException.Reason.INVALID_TRANSITION,
                    "pod '" + stored.key() + "' is " + stored.status().wireName()
                            + " and cannot become " + update.status().wireName());
        }
        if (stored.status() != update.status()) {
            tx.createNamedUpdate("pod-update-status")
                    .addParam("organization_id", organizationId)
                    .addParam("pod_key", stored.key())
                    .addParam("status", update.status().wireName())
                    .addParam("updated_at", Columns.timestamp(now))
                    .execute();
        }
        return new PodReport(new Pod(stored.key(), update.status(), stored.agentTypeId(), stored.initialPrompt(),
                stored.createdAt()), false, stored.status() != update.status());
    }

    private static ConflictException keyTaken(String key) {
        return new ConflictException(ConflictException.Reason.POD_KEY_TAKEN,
                "pod key '" + key + "' is held by another runner of this organization");
    }

    private static ConflictException immutable(String field) {
        return new ConflictException(ConflictException.Reason.IMMUTABLE_FIELD,
                field + " is fixed when the pod is created and cannot be changed");
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
