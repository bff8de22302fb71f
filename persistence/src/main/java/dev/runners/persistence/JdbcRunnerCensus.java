package dev.runners.persistence;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.RunnerCensus;
import dev.runners.domain.RunnerStatus;
import io.helidon.dbclient.DbRow;

/** One grouped statement over every runner; callers cache it (it reads the whole table). */
public final class JdbcRunnerCensus implements RunnerCensus {
    private final Database database;
    private final AvailabilityPolicy policy;

    public JdbcRunnerCensus(Database database, AvailabilityPolicy policy) {
        this.database = database;
        this.policy = policy;
    }

    @Override
    public Map<RunnerStatus, Long> countByStatus(Instant now) {
        Map<RunnerStatus, Long> counts = new EnumMap<>(RunnerStatus.class);
        for (RunnerStatus status : RunnerStatus.values()) {
            counts.put(status, 0L);
        }
        return database.read(exec -> {
            try (Stream<DbRow> rows = exec.createNamedQuery("runners-count-by-status")
                    .addParam("heartbeat_cutoff", Columns.timestamp(policy.heartbeatCutoff(now)))
                    .execute()) {
                rows.forEach(row -> counts.put(RunnerStatus.fromWire(Columns.string(row, "status")).orElseThrow(),
                        Columns.longValue(row, "runners")));
            }
            return counts;
        });
    }
}
