package dev.runners.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runners.domain.AvailabilityPolicy;
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

    public JdbcRunnerRepository(Database database, AvailabilityPolicy policy) {
        this.database = database;
        this.policy = policy;
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
        FilterSlots.labels(parameters, labels);
        return runnerPage("runners-available-page", parameters, page);
    }

    @Override
    public Optional<Runner> find(long organizationId, long runnerId) {
        return database.read(exec -> byId(exec, organizationId, runnerId));
    }

    private static Optional<Runner> byId(DbExecute exec, long organizationId, long runnerId) {
        return exec.createNamedGet("runner-by-id")
                .addParam("id", runnerId)
                .addParam("organization_id", organizationId)
                .execute()
                .map(JdbcRunnerRepository::runner);
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

    @Override
    public Runner heartbeat(long organizationId, long runnerId, Heartbeat heartbeat, Instant now) {
        if (heartbeat.labels() == null) {
            // the common beat: one update (each statement commits), then the runner as it is now
            return database.read(exec -> {
                if (beat(exec, organizationId, runnerId, heartbeat, now) == 0) {
                    throw notFound(runnerId);
                }
                return byId(exec, organizationId, runnerId).orElseThrow(() -> notFound(runnerId));
            });
        }
        return database.inTransaction(tx -> {
            Runner stored = lockRunner(tx, organizationId, runnerId);
            beat(tx, organizationId, runnerId, heartbeat, now);
            if (!heartbeat.labels().equals(stored.labels())) {
                tx.createNamedDelete("runner-labels-delete").addParam("runner_id", runnerId).execute();
                insertLabels(tx, organizationId, runnerId, heartbeat.labels());
            }
            return byId(tx, organizationId, runnerId).orElseThrow(() -> notFound(runnerId));
        });
    }

    /** Records the beat; what it leaves out (null) keeps its stored value. */
    private static long beat(DbExecute exec, long organizationId, long runnerId, Heartbeat heartbeat, Instant now) {
        return exec.createNamedUpdate("runner-heartbeat")
                .addParam("id", runnerId)
                .addParam("organization_id", organizationId)
                .addParam("reported_status", heartbeat.state().wireName())
                .addParam("version", heartbeat.version())
                .addParam("os", heartbeat.os())
                .addParam("arch", heartbeat.arch())
                .addParam("labels", heartbeat.labels() == null ? null : heartbeat.labels().joined())
                .addParam("max_pods", heartbeat.maxPods())
                .addParam("last_heartbeat_at", Columns.timestamp(now))
                .execute();
    }

    private static UnknownResourceException notFound(long runnerId) {
        return new UnknownResourceException("runner " + runnerId + " not found");
    }

    @Override
    public boolean delete(long organizationId, long runnerId) {
        return database.inTransaction(tx -> {
            boolean deleted = tx.createNamedDelete("runner-delete")
                    .addParam("id", runnerId)
                    .addParam("organization_id", organizationId)
                    .execute() > 0;
            if (deleted) {
                countRunners(tx, organizationId, -1);
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

    /** Locks the runner's row for the rest of the transaction; every write to a runner goes through it. */
    static Runner lockRunner(DbExecute tx, long organizationId, long runnerId) {
        return tx.createNamedGet("runner-by-id-for-update")
                .addParam("id", runnerId)
                .addParam("organization_id", organizationId)
                .execute()
                .map(JdbcRunnerRepository::runner)
                .orElseThrow(() -> notFound(runnerId));
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
            RunnerColumns columns = RunnerColumns.of(rows);
            long total = 0;
            List<Runner> runners = new ArrayList<>();
            while (rows.next()) {
                total = rows.getLong(columns.total());
                rows.getLong(columns.id());
                if (!rows.wasNull()) {
                    runners.add(columns.runner(rows));
                }
            }
            return new Page<>(runners, total);
        });
    }

    /** Where a page's columns are, found once per result set rather than once per row. */
    private record RunnerColumns(int total, int id, int name, int reportedStatus, int version, int os, int arch,
                                 int labels, int podCount, int maxPods, int lastHeartbeatAt, int createdAt) {
        static RunnerColumns of(ResultSet rows) throws SQLException {
            return new RunnerColumns(rows.findColumn("total"), rows.findColumn("id"), rows.findColumn("name"),
                    rows.findColumn("reported_status"), rows.findColumn("version"), rows.findColumn("os"),
                    rows.findColumn("arch"), rows.findColumn("labels"), rows.findColumn("pod_count"),
                    rows.findColumn("max_pods"), rows.findColumn("last_heartbeat_at"), rows.findColumn("created_at"));
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
                    Columns.instant(rows, lastHeartbeatAt),
                    Columns.instant(rows, createdAt));
        }
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
                Columns.instant(row, "last_heartbeat_at"),
                Columns.instant(row, "created_at"));
    }
}
