package dev.runners.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Change;
import dev.runners.domain.ConflictException;
import dev.runners.domain.Heartbeat;
import dev.runners.domain.LabelSet;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.ReportedState;
import dev.runners.domain.Runner;
import dev.runners.domain.RunnerFilter;
import dev.runners.domain.RunnerRegistration;
import dev.runners.domain.RunnerRepository;
import dev.runners.domain.RunnerStatus;
import dev.runners.domain.UnknownResourceException;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** Runners on Helidon DB Client; each list is one statement whatever the page size. */
public final class JdbcRunnerRepository implements RunnerRepository {
    private final Database database;
    private final AvailabilityPolicy policy;
    private final EventJournal journal;
    private final QuietHeartbeats quietHeartbeats;

    public JdbcRunnerRepository(Database database, AvailabilityPolicy policy, EventJournal journal) {
        this.database = database;
        this.policy = policy;
        this.journal = journal;
        this.quietHeartbeats = new QuietHeartbeats(database);
    }

    @Override
    public Page<Runner> page(long organizationId, RunnerFilter filter, PageRequest page, Instant now) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("organization_id", organizationId);
        if (filter.allStatuses() && filter.labels().isEmpty()) {
            // no filter: the organization's maintained count is the total, nothing is counted
            return runnerPage("runners-page-all", parameters, page);
        }
        List<String> statuses = new ArrayList<>();
        for (RunnerStatus status : filter.allStatuses() ? List.of(RunnerStatus.values()) : filter.statuses()) {
            statuses.add(status.wireName());
        }
        parameters.put("heartbeat_cutoff", Columns.timestamp(policy.heartbeatCutoff(now)));
        FilterSlots.values(parameters, "status", RunnerStatus.values().length, statuses);
        FilterSlots.labels(parameters, filter.labels());
        return runnerPage("runners-page", parameters, page);
    }

    @Override
    public Page<Runner> availablePage(long organizationId, LabelSet labels, PageRequest page, Instant now) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("organization_id", organizationId);
        parameters.put("heartbeat_cutoff", Columns.timestamp(policy.heartbeatCutoff(now)));
        if (labels.isEmpty()) {
            return runnerPage("runners-available-page-all", parameters, page);
        }
        FilterSlots.labels(parameters, labels);
        return runnerPage("runners-available-page", parameters, page);
    }

    /** By column index, as a page is read: the DB Client's named get parses its statement on every call. */
    @Override
    public Optional<Runner> find(long organizationId, long runnerId) {
        return database.readRows("runner-by-id", Map.of("id", runnerId, "organization_id", organizationId),
                rows -> rows.next() ? Optional.of(RunnerColumns.of(rows).runner(rows)) : Optional.<Runner>empty());
    }

    @Override
    public Runner register(long organizationId, RunnerRegistration registration, Instant now) {
        try {
            return database.inTransaction(tx -> {
                tx.createNamedInsert("runner-insert")
                        .addParam("organization_id", organizationId)
                        .addParam("name", registration.name())
                        .addParam("version", registration.version())
                        .addParam("os", registration.os())
                        .addParam("arch", registration.arch())
                        .addParam("labels", registration.labels().joined())
                        .addParam("max_pods", registration.maxPods())
                        .addParam("created_at", Columns.timestamp(now))
                        .execute();
                Runner runner = tx.createNamedGet("runner-by-name")
                        .addParam("organization_id", organizationId)
                        .addParam("name", registration.name())
                        .execute()
                        .map(JdbcRunnerRepository::runner)
                        .orElseThrow();
                insertLabels(tx, organizationId, runner.id(), registration.labels());
                countRunners(tx, organizationId, 1);
                journal.append(tx, organizationId, Change.registered(runner, now));
                return runner;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                throw new ConflictException(ConflictException.Reason.RUNNER_NAME_TAKEN,
                        "a runner named '" + registration.name() + "' already exists in this organization");
            }
            throw e;
        }
    }

    /**
     * The heartbeat merge and what it emits are {@link Heartbeat}'s; this loads, locks and stores.
     * The common heartbeat changes nothing a reader sees: it is applied in one statement committed on
     * its own when the stored runner is what {@link Heartbeat#quiet} admits, with no lock held past it
     * and no event (on PostgreSQL that statement holds the quiet heartbeats of the moment,
     * {@link QuietHeartbeats}). Any other goes the locking way, where the merge decides what is stored
     * and emitted.
     */
    @Override
    public Runner heartbeat(long organizationId, long runnerId, Heartbeat heartbeat, Instant now) {
        Heartbeat.Quiet quiet = heartbeat.quiet(policy, now);
        Optional<Runner> unchanged = database.isPostgres()
                ? quietHeartbeats.apply(organizationId, runnerId, quiet, now)
                : quietAlone(organizationId, runnerId, quiet, now);
        if (unchanged.isPresent()) {
            return unchanged.get();
        }
        return database.inTransaction(tx -> {
            Runner stored = lockRunner(tx, organizationId, runnerId);
            Runner updated = heartbeat.mergeInto(stored, now);
            tx.createNamedUpdate("runner-heartbeat")
                    .addParam("id", runnerId)
                    .addParam("reported_status", updated.reportedState().wireName())
                    .addParam("version", updated.version())
                    .addParam("os", updated.os())
                    .addParam("arch", updated.arch())
                    .addParam("labels", updated.labels().joined())
                    .addParam("max_pods", updated.maxPods())
                    .addParam("last_heartbeat_at", Columns.timestamp(now))
                    .execute();
            if (!updated.labels().equals(stored.labels())) {
                tx.createNamedDelete("runner-labels-delete").addParam("runner_id", runnerId).execute();
                insertLabels(tx, organizationId, runnerId, updated.labels());
            }
            if (heartbeat.changesVisibly(policy, now, stored)) {
                journal.append(tx, organizationId, Change.changed(updated, now));
            }
            return updated;
        });
    }

    /** H2: a quiet heartbeat in one statement of its own (runner-heartbeat-quiet-h2). */
    private Optional<Runner> quietAlone(long organizationId, long runnerId, Heartbeat.Quiet quiet, Instant now) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", runnerId);
        parameters.put("organization_id", organizationId);
        parameters.put("reported_status", quiet.state().wireName());
        parameters.put("heartbeat_not_before", Columns.timestamp(quiet.heartbeatNotBefore()));
        parameters.put("version", quiet.version());
        parameters.put("os", quiet.os());
        parameters.put("arch", quiet.arch());
        parameters.put("labels", quiet.labels() == null ? null : quiet.labels().joined());
        parameters.put("max_pods", quiet.maxPods());
        parameters.put("last_heartbeat_at", Columns.timestamp(now));
        return database.writeAlone("runner-heartbeat-quiet-h2", parameters,
                rows -> rows.next() ? Optional.of(RunnerColumns.of(rows).runner(rows)) : Optional.empty());
    }

    @Override
    public Runner setSchedulable(long organizationId, long runnerId, boolean schedulable, Instant now) {
        return database.inTransaction(tx -> {
            Runner stored = lockRunner(tx, organizationId, runnerId);
            if (stored.schedulable() == schedulable) {
                return stored;
            }
            tx.createNamedUpdate("runner-set-schedulable")
                    .addParam("id", runnerId)
                    .addParam("schedulable", schedulable)
                    .execute();
            Runner updated = stored.withSchedulable(schedulable);
            journal.append(tx, organizationId, Change.changed(updated, now));
            return updated;
        });
    }

    @Override
    public boolean delete(long organizationId, long runnerId, Instant now) {
        return database.inTransaction(tx -> {
            boolean deleted = tx.createNamedDelete("runner-delete")
                    .addParam("id", runnerId)
                    .addParam("organization_id", organizationId)
                    .execute() > 0;
            if (deleted) {
                countRunners(tx, organizationId, -1);
                journal.append(tx, organizationId, Change.deleted(runnerId, now));
            }
            return deleted;
        });
    }

    /** Keeps the organization's runner count exact; the update holds its row until the commit. */
    private static void countRunners(DbExecute tx, long organizationId, int delta) {
        tx.createNamedUpdate("organization-count-runners")
                .addParam("organization_id", organizationId)
                .addParam("delta", delta)
                .execute();
    }

    @Override
    public int announceTimeouts(Instant now, int limit) {
        var cutoff = Columns.timestamp(policy.heartbeatCutoff(now));
        List<long[]> candidates = database.read(exec -> {
            try (Stream<DbRow> rows = exec.createNamedQuery("runners-timed-out")
                    .addParam("heartbeat_cutoff", cutoff)
                    .addParam("limit", limit)
                    .execute()) {
                return rows.map(row -> new long[] {Columns.longValue(row, "id"), Columns.longValue(row, "organization_id")})
                        .toList();
            }
        });
        int announced = 0;
        for (long[] candidate : candidates) {
            long runnerId = candidate[0];
            long organizationId = candidate[1];
            boolean claimed = database.inTransaction(tx -> {
                // of several instances, the one whose conditional update changes the row announces
                if (tx.createNamedUpdate("runner-claim-timeout")
                        .addParam("id", runnerId)
                        .addParam("heartbeat_cutoff", cutoff)
                        .execute() == 0) {
                    return false;
                }
                Runner runner = lockRunner(tx, organizationId, runnerId);
                journal.append(tx, organizationId, Change.changed(runner, now));
                return true;
            });
            if (claimed) {
                announced++;
            }
        }
        return announced;
    }

    /** Locks the runner's row for the rest of the transaction; every write to a runner goes through it. */
    static Runner lockRunner(DbExecute tx, long organizationId, long runnerId) {
        return tx.createNamedGet("runner-by-id-for-update")
                .addParam("id", runnerId)
                .addParam("organization_id", organizationId)
                .execute()
                .map(JdbcRunnerRepository::runner)
                .orElseThrow(() -> new UnknownResourceException("runner " + runnerId + " not found"));
    }

    private static void insertLabels(DbExecute tx, long organizationId, long runnerId, LabelSet labels) {
        for (String label : labels.values()) {
            tx.createNamedInsert("runner-label-insert")
                    .addParam("runner_id", runnerId)
                    .addParam("organization_id", organizationId)
                    .addParam("label", label)
                    .execute();
        }
    }

    /** A page and its total, read in one statement (so from one snapshot) by column index. */
    private Page<Runner> runnerPage(String statement, Map<String, Object> parameters, PageRequest page) {
        parameters.put("limit", page.limit());
        parameters.put("offset", page.offset());
        return database.readRows(statement, parameters, rows -> {
            int totalColumn = rows.findColumn("total");
            RunnerColumns columns = RunnerColumns.of(rows);
            long total = 0;
            List<Runner> runners = new ArrayList<>();
            while (rows.next()) {
                total = rows.getLong(totalColumn);
                rows.getLong(columns.id());
                if (!rows.wasNull()) {
                    runners.add(columns.runner(rows));
                }
            }
            return new Page<>(runners, total);
        });
    }

    /** Where a runner's columns are, found once per result set rather than once per row. */
    record RunnerColumns(int id, int name, int reportedStatus, int version, int os, int arch,
                                 int labels, int podCount, int maxPods, int schedulable, int lastHeartbeatAt,
                                 int createdAt) {
        static RunnerColumns of(ResultSet rows) throws SQLException {
            return new RunnerColumns(rows.findColumn("id"), rows.findColumn("name"),
                    rows.findColumn("reported_status"), rows.findColumn("version"), rows.findColumn("os"),
                    rows.findColumn("arch"), rows.findColumn("labels"), rows.findColumn("pod_count"),
                    rows.findColumn("max_pods"), rows.findColumn("schedulable"), rows.findColumn("last_heartbeat_at"),
                    rows.findColumn("created_at"));
        }

        /** As {@link #runner(DbRow)} reads a runner from the DB Client's row. */
        Runner runner(ResultSet rows) throws SQLException {
            return new Runner(
                    rows.getLong(id),
                    rows.getString(name),
                    ReportedState.fromWire(rows.getString(reportedStatus)).orElseThrow(),
                    rows.getString(version),
                    rows.getString(os),
                    rows.getString(arch),
                    LabelSet.fromStored(rows.getString(labels)),
                    rows.getInt(podCount),
                    rows.getInt(maxPods),
                    rows.getBoolean(schedulable),
                    Columns.instant(rows, lastHeartbeatAt),
                    Columns.instant(rows, createdAt));
        }
    }

    /** The runner on the current row of {@code rows}, its columns found by name. */
    static Runner runner(ResultSet rows) throws SQLException {
        return RunnerColumns.of(rows).runner(rows);
    }

    static Runner runner(DbRow row) {
        return new Runner(
                Columns.longValue(row, "id"),
                Columns.string(row, "name"),
                ReportedState.fromWire(Columns.string(row, "reported_status")).orElseThrow(),
                Columns.string(row, "version"),
                Columns.string(row, "os"),
                Columns.string(row, "arch"),
                LabelSet.fromStored(Columns.string(row, "labels")),
                Columns.intValue(row, "pod_count"),
                Columns.intValue(row, "max_pods"),
                Columns.bool(row, "schedulable"),
                Columns.instant(row, "last_heartbeat_at"),
                Columns.instant(row, "created_at"));
    }
}
